package io.sluice.registry;

/**
 * A registry request that did not give an answer to use. The message names the request, never credentials.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Why. */
    public enum Kind {
        /** The registry does not know the schema id, subject or version (404). */
        NOT_FOUND,
        /** Not reachable, or it failed (5xx, time-outs), for longer than the registry timeout. */
        UNAVAILABLE,
        /** It refused the request (401/403, 409 incompatible, 422 invalid schema, ...): retrying will not help. */
        REFUSED,
        /** It answered something that is not the Confluent API's answer. */
        BAD_ANSWER
    }

    private final Kind kind;

    public SchemaRegistryException(final Kind kind, final String message) {
        super(message);
        this.kind = kind;
    }

    public SchemaRegistryException(final Kind kind, final String message, final Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

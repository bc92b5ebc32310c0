package io.sluice.avro;

/**
 * Bytes that are not a readable single-object-encoded Avro record of the expected type: bad magic,
 * a fingerprint no schema version we shipped has, a body that is truncated or malformed, or a writer
 * schema that cannot be resolved to the reader's. Input someone else wrote: callers turn the message into
 * a {@link io.sluice.common.Problem}. The message never quotes the record's content.
 */
public final class AvroDecodingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AvroDecodingException(final String message) {
        super(message);
    }

    public AvroDecodingException(final String message, final Throwable cause) {
        super(message, cause);
    }
}

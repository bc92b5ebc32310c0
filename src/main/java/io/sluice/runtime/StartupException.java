package io.sluice.runtime;

/**
 * Sluice's runtime could not be set up: the embedded broker did not start, or topics could not be created.
 * The message is one line for a person (a port in use, a locked data folder, an unreachable cluster); the
 * command line prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(final String message) {
        super(message);
    }

    public StartupException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** The first line of the deepest message, for wrapping Kafka's multi-line or nested errors. */
    static String firstLine(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        final String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}

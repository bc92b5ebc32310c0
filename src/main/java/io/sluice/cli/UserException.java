package io.sluice.cli;

/**
 * An error the user caused or can fix (a bad file, an unreachable broker, an invalid argument). The command
 * line prints its message as one line and exits non-zero, without a stack trace.
 */
public class UserException extends RuntimeException {

    public UserException(final String message) {
        super(message);
    }

    public UserException(final String message, final Throwable cause) {
        super(message, cause);
    }
}

package io.sluice.audit;

/**
 * The error {@code onAcknowledgement} receives for a record that was not acknowledged: rejected, failed, or — under
 * exactly-once — part of a transaction that was aborted (the record is then processed again, and each instance
 * that sees it again in {@code onSend} gets one more {@code onAcknowledgement}).
 */
public final class NotAcknowledgedException extends Exception {

    private static final long serialVersionUID = 1L;

    public NotAcknowledgedException(final String message) {
        super(message, null, false, false);
    }
}

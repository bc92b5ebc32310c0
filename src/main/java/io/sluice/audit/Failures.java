package io.sluice.audit;

import io.sluice.chain.RecordOutcome;
import io.sluice.spi.Outcome;

/** One-line descriptions of failures, and the error {@code onAcknowledgement} gets for a record not acknowledged. */
final class Failures {

    private Failures() {
    }

    /** {@code Type: first line of the message}, with the cause when the message alone says little. */
    static String describe(final Throwable failure) {
        final String message = failure.getMessage();
        final String type = failure.getClass().getSimpleName();
        final String text = message == null || message.isBlank() ? type
            : type + ": " + message.lines().findFirst().orElse("");
        final Throwable cause = failure.getCause();
        return cause == null || cause == failure || text.contains(String.valueOf(cause.getMessage()))
            ? text : text + " (" + describe(cause) + ")";
    }

    /** {@code null} for an acknowledged record; otherwise why it was not. */
    static Exception acknowledgementError(final RecordOutcome outcome) {
        if (outcome.outcome() == Outcome.ACKNOWLEDGED) {
            return null;
        }
        final RecordOutcome.Failure failure = outcome.failure();
        return new NotAcknowledgedException(outcome.outcome() + ": " + (failure == null ? "" : failure.message()));
    }
}

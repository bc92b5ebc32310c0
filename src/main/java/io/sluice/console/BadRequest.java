package io.sluice.console;

/** A query the console cannot answer as asked: answered with 400 and this one-line reason. */
public final class BadRequest extends RuntimeException {

    public BadRequest(final String reason) {
        super(reason, null, false, false);
    }
}

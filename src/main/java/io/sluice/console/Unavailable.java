package io.sluice.console;

/** A source the console reads is unreachable or too slow (Kafka down, a topic missing): answered with 503. */
public final class Unavailable extends RuntimeException {

    public Unavailable(final String reason) {
        super(reason, null, false, false);
    }
}

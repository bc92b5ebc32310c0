package io.sluice.chain;

/**
 * Where a record's outcome goes once the chain has run and its writes were handed to Kafka Streams. The chain
 * processor calls {@link #begin} before it forwards a record's writes and {@link #end} after: the writes reach
 * the producer synchronously in between, on the same stream thread, so an auditing producer can claim them.
 */
public interface Acknowledgements {

    /** The record's writes are about to be forwarded. */
    void begin(RecordOutcome outcome);

    /** The record's writes were forwarded (or there were none). */
    void end(RecordOutcome outcome);

    /** How often the chain processor calls {@link #tick} (wall-clock time, on the stream thread). */
    java.time.Duration TICK = java.time.Duration.ofMillis(20);

    /**
     * Time passed on the stream thread, records or not: acknowledgements held back to go out together are sent
     * when they are due, also when no record follows.
     */
    default void tick() {
    }

    /**
     * Acknowledges each record as soon as it is forwarded, with no egress coordinates: for a topology that runs
     * without the auditing producer, such as under {@code TopologyTestDriver}.
     */
    static Acknowledgements immediate(final ChainRunner runner) {
        return new Acknowledgements() {
            @Override
            public void begin(final RecordOutcome outcome) {
            }

            @Override
            public void end(final RecordOutcome outcome) {
                runner.acknowledge(outcome, null);
            }
        };
    }
}

package io.sluice.audit;

import io.sluice.chain.Acknowledgements;
import io.sluice.chain.RecordOutcome;

/**
 * The hand-off from the chain processor to the auditing producer. {@link #begin} puts the record's outcome where
 * the producer's {@code send} finds it: the writes reach {@code send} synchronously, on the same stream thread,
 * before {@link #end}. The producer claims them; from then on it completes the outcome — when the writes are
 * committed (exactly-once) or acknowledged (at-least-once). An outcome whose writes no auditing producer claimed
 * (a topology under {@code TopologyTestDriver}) is acknowledged at once, as {@link Acknowledgements#immediate} does.
 */
final class AuditAcknowledgements implements Acknowledgements {

    private final Audit audit;
    private final Acknowledgements immediate;

    AuditAcknowledgements(final Audit audit) {
        this.audit = audit;
        this.immediate = Acknowledgements.immediate(audit.runner());
    }

    @Override
    public void begin(final RecordOutcome outcome) {
        final StreamThreadAudit thread = audit.thread();
        outcome.forwardingStarted();
        thread.current = outcome;
        thread.claimed = false;
    }

    @Override
    public void end(final RecordOutcome outcome) {
        final StreamThreadAudit thread = audit.thread();
        thread.current = null;
        final boolean written = outcome.forwardingEnded();
        if (!thread.claimed) {
            immediate.end(outcome);
        } else if (!audit.exactlyOnce() && thread.producer != null) {
            if (written) {
                // Every write was acknowledged before the last was handed over: no callback will queue it.
                thread.producer.queueAcknowledged(outcome);
            }
            // At-least-once: events of records whose writes were acknowledged meanwhile go out in batches.
            thread.producer.forwarded();
        }
    }

    @Override
    public void tick() {
        final StreamThreadAudit thread = audit.thread();
        if (!audit.exactlyOnce() && thread.producer != null) {
            thread.producer.drainIfDue();
        }
    }
}

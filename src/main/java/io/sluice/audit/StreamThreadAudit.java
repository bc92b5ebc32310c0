package io.sluice.audit;

import io.sluice.chain.RecordOutcome;

/**
 * What one stream thread's audit knows, reached through {@link Audit#thread()}: the record whose writes are
 * being forwarded now, and the thread's wrapped clients. Used only by its own thread, so plain fields suffice.
 */
final class StreamThreadAudit {

    /** The record between {@code Acknowledgements.begin} and {@code end}; its writes reach the producer now. */
    RecordOutcome current;
    /** Whether the auditing producer claimed a write of {@link #current}. */
    boolean claimed;
    /** The thread's auditing producer, once it has been used on this thread. */
    AuditingProducer producer;
    /** The thread's main consumer, once it has polled on this thread. */
    AuditingConsumer consumer;
}

/**
 * The audit: one acknowledgement event per ingress record and one commit event per offset commit, written to the
 * audit topics through each stream thread's own producer, and the client-side interceptor hooks
 * ({@code onConsume}, {@code onAcknowledgement}, {@code onCommit}).
 *
 * <h2>How a record's outcome reaches its event</h2>
 * The chain processor builds a {@link io.sluice.chain.RecordOutcome} per record and brackets the forwarding of its
 * writes with {@code Acknowledgements.begin} / {@code end}. Kafka Streams hands each forwarded record to the
 * thread's producer synchronously, on the same thread, so the {@link io.sluice.audit.AuditingProducer} finds the
 * outcome in a thread-local ({@link io.sluice.audit.StreamThreadAudit}), claims the write, counts it, and wraps its
 * callback to learn the partition and offset the broker assigned (the first egress write's, when the chaos plugin
 * duplicates a record). Nothing is logged and nothing but the wrapped callback is allocated per write.
 *
 * <h2>Exactly-once ({@code exactly_once_v2})</h2>
 * Per transaction the producer keeps the claimed outcomes and the ingress offsets Streams passes to
 * {@code sendOffsetsToTransaction}. Its {@code commitTransaction}: {@code flush()} (every callback of the
 * transaction has fired then), send the acknowledgement events and the commit event through the same producer,
 * commit. The events are thereby part of the transaction: a {@code read_committed} reader sees an
 * {@code ACKNOWLEDGED} event if and only if its egress record is committed, once. Then {@code onAcknowledgement}
 * per record and instance, and {@code onCommit} on every live instance. An abort, a failed commit or a producer
 * closed mid-transaction drops the transaction's events — the records are processed again and get them then, with
 * the same event ids — and delivers {@code onAcknowledgement} with a {@link io.sluice.audit.NotAcknowledgedException}
 * to the instances that saw the records in {@code onSend} (they see them again when they are processed again). A
 * failed commit's {@code FAILED} commit event is written by the next transaction to commit (of any thread).
 *
 * <h2>At-least-once</h2>
 * The write callback queues an outcome once all its writes are acknowledged; the stream thread delivers
 * {@code onAcknowledgement} and sends the event after the next record, and in {@code flush()}, which Streams calls
 * before it commits the offsets (then flushes again). So every record whose offset is committed has its event
 * written first: after a crash, records processed again give duplicate events (same event id), never a missing
 * one. The main consumer's {@code commitSync} is wrapped: after it, the commit event (flushed at once) and
 * {@code onCommit}. A crash between a commit and the write of its event loses that commit event.
 *
 * <h2>Keys and ids</h2>
 * Acknowledgement events are keyed {@code vcluster/username} ({@code vcluster/} for the anonymous user): one
 * user's events stay in order on one partition. Event ids are name-based UUIDs of the application id and the
 * ingress coordinates. See {@link io.sluice.audit.AuditEvents}.
 */
package io.sluice.audit;

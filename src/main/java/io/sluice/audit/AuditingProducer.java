package io.sluice.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.avro.CommitEvent;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.RecordOutcome;
import io.sluice.spi.CommittedOffset;

/**
 * One stream thread's producer, audited. {@link #send} claims the writes of the record being forwarded (see
 * {@link AuditAcknowledgements}) and learns from each write's callback where it landed.
 *
 * <p><b>Exactly-once</b>: the outcomes claimed in a transaction wait for its commit. {@link #commitTransaction}
 * flushes (every callback of the transaction has fired when {@code flush} returns), sends the transaction's
 * acknowledgement events and its commit event through this producer — so they commit atomically with the egress
 * records and the ingress offsets — then commits; only then do the interceptors get {@code onAcknowledgement} and
 * {@code onCommit}. An abort, or a commit that fails, drops the events (the records will be processed again, and
 * get their events then) and delivers {@code onAcknowledgement} with an error.
 *
 * <p><b>At-least-once</b>: a record whose writes are all acknowledged is queued by the callback (on the producer's
 * I/O thread, where sending would risk a deadlock) and its event is sent by the stream thread: once
 * {@link #DRAIN_RECORDS} records were forwarded or {@link #DRAIN_NANOS} passed since the last drain (checked after
 * every record and on the processor's {@link io.sluice.chain.Acknowledgements#TICK}), and always in {@link #flush},
 * which Kafka Streams calls before it commits offsets: the events are written before the offsets that cover their
 * records are committed. Draining after every record wrote the events of one produce response at a time: many
 * small event batches where a transaction under exactly-once writes few large ones.
 *
 * <p>Either way the events of one transaction (or one drain) go out together through {@link AuditEvents#acks}:
 * batched per partition of the acks topic unless the topology says {@code ackEvents: single}.
 */
final class AuditingProducer implements Producer<byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(AuditingProducer.class);
    private static final long WARM_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final Producer<byte[], byte[]> delegate;
    private final String acksTopic;
    private final Audit audit;
    private final ChainRunner runner;
    private final AuditEvents events;
    private final boolean exactlyOnce;
    private final String instance;
    private final String rejectedTopic;

    // Exactly-once: the open transaction. Only the stream thread touches these.
    private final List<RecordOutcome> transaction = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private RecordOutcome lastClaimed;

    // At-least-once: outcomes whose writes all completed, queued by the I/O thread for the stream thread.
    private final Queue<RecordOutcome> acknowledged = new ConcurrentLinkedQueue<>();
    /** At-least-once: the acknowledged records whose events go out together (only the stream thread touches it). */
    private final List<RecordOutcome> drained = new ArrayList<>();
    /** At-least-once: a drain once this many records were forwarded since the last one, or {@link #DRAIN_NANOS}. */
    static final int DRAIN_RECORDS = 2048;
    static final long DRAIN_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    /** At-least-once: when the queue was last drained (System.nanoTime), and records forwarded since. */
    private long lastDrain;
    private int forwardedSinceDrain;
    /** The first audit event that could not be written since the last flush. */
    private final AtomicReference<Exception> lostEvent = new AtomicReference<>();
    private final Callback eventWritten = (metadata, failure) -> {
        if (failure != null) {
            lostEvent.compareAndSet(null, failure);
        }
    };

    /** When the rejected topic's metadata was last looked up (System.nanoTime), or 0. */
    private long rejectedTopicWarmedAt;

    AuditingProducer(final Producer<byte[], byte[]> delegate, final Audit audit, final String instance) {
        this.delegate = delegate;
        this.audit = audit;
        this.runner = audit.runner();
        this.events = new AuditEvents(audit.topology().applicationId(), audit.topology().auditTopics(),
            audit.topology().batchedAcks(), audit.framing());
        this.exactlyOnce = audit.exactlyOnce();
        this.instance = instance;
        this.rejectedTopic = audit.topology().rejectedTopic();
        this.acksTopic = audit.topology().auditTopics().acks();
        this.lastDrain = System.nanoTime();
    }

    String instance() {
        return instance;
    }

    // ---- writes

    @Override
    public Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record) {
        return send(record, null);
    }

    @Override
    public Future<RecordMetadata> send(final ProducerRecord<byte[], byte[]> record, final Callback callback) {
        final StreamThreadAudit thread = audit.thread();
        final RecordOutcome outcome = thread.current;
        if (outcome == null) {
            // Not a record's write: Streams' own, or a dead-letter record sent from the I/O thread.
            return delegate.send(record, callback);
        }
        thread.producer = this;
        thread.claimed = true;
        if (rejectedTopicWarmedAt == 0) {
            keepRejectedTopicWarm();
        }
        if (exactlyOnce && outcome != lastClaimed) {
            lastClaimed = outcome;
            transaction.add(outcome);
        }
        outcome.writeStarted();
        final boolean egress = !record.topic().equals(rejectedTopic);
        try {
            return delegate.send(record, new ClaimedWrite(this, outcome, record.topic(), egress, callback));
        } catch (final RuntimeException failure) {
            // A send that throws never calls its callback.
            written(outcome, record.topic(), egress, null, failure);
            throw failure;
        }
    }

    /** A claimed write completed (on the I/O thread, or in {@code send} when it failed at once). */
    void written(final RecordOutcome outcome, final String topic, final boolean egress, final RecordMetadata metadata,
                 final Exception failure) {
        final boolean done = failure == null
            ? outcome.writeCompleted(metadata.topic(), metadata.partition(), metadata.offset(), egress)
            : outcome.writeCompletedWithFailure("writing to '" + topic + "' failed: " + Failures.describe(failure));
        if (done && !exactlyOnce) {
            acknowledged.add(outcome);
        }
    }

    /** At-least-once: a record whose writes all completed while it was being forwarded. */
    void queueAcknowledged(final RecordOutcome outcome) {
        acknowledged.add(outcome);
    }

    /** At-least-once: a record was forwarded; drains the queue when a drain is due. */
    void forwarded() {
        if (++forwardedSinceDrain >= DRAIN_RECORDS) {
            drainAcknowledged();
        } else {
            drainIfDue();
        }
    }

    /** At-least-once: drains the queue when the last drain was {@link #DRAIN_NANOS} ago. */
    void drainIfDue() {
        if (System.nanoTime() - lastDrain >= DRAIN_NANOS) {
            drainAcknowledged();
        }
    }

    /** At-least-once: acknowledges the queued records and sends their events; returns how many. */
    private int drainAcknowledged() {
        lastDrain = System.nanoTime();
        forwardedSinceDrain = 0;
        if (acknowledged.isEmpty()) {
            return 0;
        }
        for (RecordOutcome outcome = acknowledged.poll(); outcome != null; outcome = acknowledged.poll()) {
            // First the hooks, so that an onAcknowledgement error is in the event. One event per record: an
            // outcome that was acknowledged already (queued twice) gets none.
            if (runner.acknowledge(outcome, Failures.acknowledgementError(outcome))) {
                drained.add(outcome);
            }
        }
        final int sent = drained.size();
        try {
            events.acks(drained, Instant.now(), this::acksPartitions, this::sendEvent);
        } finally {
            drained.clear();
        }
        return sent;
    }

    @Override
    public void flush() {
        audit.thread().producer = this;
        keepRejectedTopicWarm();
        delegate.flush();
        if (!exactlyOnce) {
            // Streams flushes before it commits offsets: the events of every record they cover go out first.
            if (drainAcknowledged() > 0) {
                delegate.flush();
            }
            final Exception lost = lostEvent.getAndSet(null);
            if (lost != null) {
                throw new KafkaException("an audit event could not be written; the offsets are not committed, so the "
                    + "records will be processed again: " + Failures.describe(lost), lost);
            }
        }
    }

    /**
     * Streams sends the production exception handler's dead-letter record from the producer's I/O thread, where a
     * send that must first fetch the topic's metadata waits for that very thread: blocked for max.block.ms, then
     * lost. Looking the rejected topic up from the stream thread — at most once a minute, which also keeps the
     * producer from expiring it as idle — keeps its metadata at hand.
     */
    private void keepRejectedTopicWarm() {
        final long now = System.nanoTime();
        if (rejectedTopicWarmedAt != 0 && now - rejectedTopicWarmedAt < WARM_INTERVAL_NANOS) {
            return;
        }
        rejectedTopicWarmedAt = now;
        try {
            delegate.partitionsFor(rejectedTopic);
        } catch (final KafkaException e) {
            LOG.warn("cannot look up the rejected topic '{}' (tried again in a minute): {}", rejectedTopic,
                Failures.describe(e));
        }
    }

    /** At-least-once: a commit event, written at once (the offsets are committed already). */
    void writeCommitEvent(final List<CommittedOffset> committed, final Exception error) {
        sendEvent(events.commit(instance, committed, error, Instant.now()));
        delegate.flush();
        final Exception lost = lostEvent.getAndSet(null);
        if (lost != null) {
            LOG.warn("a commit event could not be written: {}", Failures.describe(lost));
        }
    }

    /** From the producer's metadata, which it has once it wrote to the topic (else it looks the topic up). */
    private int acksPartitions() {
        return delegate.partitionsFor(acksTopic).size();
    }

    private void sendEvent(final ProducerRecord<byte[], byte[]> event) {
        if (exactlyOnce) {
            // A failed write fails the transaction's commit: no callback needed.
            delegate.send(event);
        } else {
            delegate.send(event, eventWritten);
        }
    }

    // ---- transactions (exactly-once)

    @Override
    public void initTransactions() {
        audit.thread().producer = this;
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        audit.thread().producer = this;
        if (!transaction.isEmpty() || !offsets.isEmpty()) {
            // Never expected: a transaction ends with a commit or an abort, both of which clear it.
            endTransaction(new IllegalStateException("a new transaction began before the previous one ended"),
                List.of());
        }
        delegate.beginTransaction();
    }

    @Override
    public void sendOffsetsToTransaction(final Map<TopicPartition, OffsetAndMetadata> offsets,
                                         final ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
        this.offsets.putAll(offsets);
    }

    @Override
    public void commitTransaction() {
        final StreamThreadAudit thread = audit.thread();
        thread.producer = this;
        final List<CommittedOffset> committed = Audit.assigned(offsets, thread.consumer);
        final Instant now = Instant.now();
        final List<CommitEvent> carried = audit.takeFailedCommits();
        try {
            // Every callback of the transaction has fired when flush returns: the egress offsets are known.
            delegate.flush();
            events.acks(transaction, now, this::acksPartitions, this::sendEvent);
            if (!committed.isEmpty()) {
                sendEvent(events.commit(instance, committed, null, now));
            }
            for (final CommitEvent failed : carried) {
                sendEvent(events.record(failed));
            }
            delegate.commitTransaction();
        } catch (final RuntimeException failure) {
            audit.returnFailedCommits(carried);
            if (!committed.isEmpty()) {
                audit.commitFailed(events.commitEvent(instance, committed, failure, now));
            }
            endTransaction(failure, committed);
            throw failure;
        }
        endTransaction(null, committed);
    }

    @Override
    public void abortTransaction() {
        try {
            delegate.abortTransaction();
        } finally {
            endTransaction(new KafkaException("the transaction was aborted"), List.of());
        }
    }

    /**
     * The transaction committed ({@code failure} null) or not: every claimed record gets its
     * {@code onAcknowledgement} — with an error when the transaction did not commit, as the record will be
     * processed again — and, when offsets were committed or failed to be, every live instance its {@code onCommit}.
     */
    private void endTransaction(final Exception failure, final List<CommittedOffset> committed) {
        final Exception notCommitted = failure == null ? null : new NotAcknowledgedException(
            "not committed, the record will be processed again: " + Failures.describe(failure));
        for (final RecordOutcome outcome : transaction) {
            runner.acknowledge(outcome, notCommitted != null ? notCommitted : Failures.acknowledgementError(outcome));
        }
        transaction.clear();
        offsets.clear();
        lastClaimed = null;
        if (!committed.isEmpty()) {
            audit.onCommit(committed, failure);
        }
    }

    // ---- life cycle

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(final Duration timeout) {
        try {
            delegate.close(timeout);
        } finally {
            abandon();
        }
    }

    /** Closed: records still open get their {@code onAcknowledgement} with an error (no event can be written). */
    private void abandon() {
        if (exactlyOnce) {
            endTransaction(new KafkaException("the producer was closed before the transaction committed"), List.of());
            return;
        }
        for (RecordOutcome outcome = acknowledged.poll(); outcome != null; outcome = acknowledged.poll()) {
            runner.acknowledge(outcome, Failures.acknowledgementError(outcome));
        }
    }

    // ---- plain delegation

    @Override
    public List<PartitionInfo> partitionsFor(final String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(final Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void registerMetricForSubscription(final KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(final KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }

    /** The callback of a claimed write: Streams' callback first (it may send a dead-letter record), then ours. */
    private record ClaimedWrite(AuditingProducer producer, RecordOutcome outcome, String topic, boolean egress,
                                Callback next) implements Callback {
        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception failure) {
            try {
                if (next != null) {
                    next.onCompletion(metadata, failure);
                }
            } finally {
                producer.written(outcome, topic, egress, metadata, failure);
            }
        }
    }
}

package io.sluice.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.CommittedOffset;
import io.sluice.topology.Routing;

/**
 * The audit of Sluice's topology run without a broker, under Kafka Streams' {@code TopologyTestDriver}
 * ({@code sluice test}). The driver writes through a producer of its own, which no {@link AuditingProducer} wraps,
 * so the driver's caller reports what the driver wrote instead, and each record's outcome then gets exactly what the
 * auditing producer gives it: every write's coordinates ({@link #written}), then {@code onAcknowledgement} on every
 * instance that saw the record, with the error an unacknowledged record gets under {@code sluice run}
 * ({@link #acknowledge}). {@code onConsume} and {@code onCommit} run through the same hooks as behind the auditing
 * consumer and producer.
 */
public final class OfflineAudit {

    private final Audit audit;
    private final ChainRunner runner;
    private final String rejectedTopic;
    private final List<RecordOutcome> forwarded = new ArrayList<>();
    private final Acknowledgements acknowledgements = new Acknowledgements() {
        @Override
        public void begin(final RecordOutcome outcome) {
        }

        @Override
        public void end(final RecordOutcome outcome) {
            // Acknowledged once the driver's caller knows where the writes landed (see written).
            forwarded.add(outcome);
        }
    };

    public OfflineAudit(final Routing routing, final IndexedResolver resolver, final ChainRunner runner) {
        this.audit = new Audit(routing, resolver, runner);
        this.runner = runner;
        this.rejectedTopic = routing.topology().rejectedTopic();
    }

    /** Give this to {@code SluiceTopology.build}. */
    public Acknowledgements acknowledgements() {
        return acknowledgements;
    }

    /** {@code onConsume} for a record about to be piped into the driver, as after a fetch. */
    public void consumed(final ConsumerRecord<byte[], byte[]> record) {
        audit.consumeHooks().onConsume(new ConsumerRecords<>(
            Map.of(new TopicPartition(record.topic(), record.partition()), List.of(record)), Map.of()));
    }

    /** The outcomes of the records the topology processed since the last call, in processing order. */
    public List<RecordOutcome> takeForwarded() {
        final List<RecordOutcome> taken = List.copyOf(forwarded);
        forwarded.clear();
        return taken;
    }

    /** One write of a record landed at these coordinates (as the auditing producer's write callback learns it). */
    public void written(final RecordOutcome outcome, final String topic, final int partition, final long offset) {
        outcome.writeStarted();
        outcome.writeCompleted(topic, partition, offset, !topic.equals(rejectedTopic));
    }

    /** Every write of the record landed: {@code onAcknowledgement} on every instance that saw it. */
    public void acknowledge(final RecordOutcome outcome) {
        runner.acknowledge(outcome, Failures.acknowledgementError(outcome));
    }

    /** The ingress offsets were committed: {@code onCommit} on every live instance. */
    public void committed(final List<CommittedOffset> offsets) {
        audit.onCommit(offsets, null);
    }

    /** The record's acknowledgement event as {@code sluice audit acks -o json} prints it. */
    public String ackEventJson(final RecordOutcome outcome, final java.time.Instant time) {
        final AuditEvents events = new AuditEvents(audit.topology().applicationId(), audit.topology().auditTopics());
        return io.sluice.common.Json.line(AuditJson.ack(AuditEvents.ACKS.decode(events.ack(outcome, time).value())));
    }
}

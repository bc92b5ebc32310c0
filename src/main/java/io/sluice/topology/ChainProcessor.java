package io.sluice.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRecord;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.Chain;
import io.sluice.resolution.Resolver;
import io.sluice.spi.RecordContext;

/**
 * The heart of the topology: for each ingress record, reads its context, resolves its chain, runs
 * {@code onSend}, and forwards the result to egress — or the record, unchanged, to the rejected topic.
 */
final class ChainProcessor implements Processor<byte[], byte[], byte[], byte[]> {

    static final String REJECTED_BY = SluiceTopology.REJECTED_BY_HEADER;
    static final String REASON = SluiceTopology.REASON_HEADER;

    private final Admission admission;
    private final Resolver resolver;
    private final ChainRunner runner;
    private final Acknowledgements acknowledgements;
    private final RecordSizeLimits limits;
    private final String rejectedTopic;
    private ProcessorContext<byte[], byte[]> context;

    ChainProcessor(final Routing routing, final Resolver resolver, final ChainRunner runner,
                   final Acknowledgements acknowledgements, final RecordSizeLimits limits) {
        this.admission = new Admission(routing);
        this.resolver = resolver;
        this.runner = runner;
        this.acknowledgements = acknowledgements;
        this.limits = limits;
        this.rejectedTopic = routing.topology().rejectedTopic();
    }

    @Override
    public void init(final ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        context.schedule(Acknowledgements.TICK, PunctuationType.WALL_CLOCK_TIME, now -> acknowledgements.tick());
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final RecordMetadata ingress = context.recordMetadata().orElseThrow();
        final String topic = ingress.topic();
        final boolean admitted = admission.admit(topic, record.headers());
        final TopicRoute route = admission.route();
        final String vcluster = admission.vcluster();
        final RecordContext recordContext = new RecordContext(vcluster, admission.username(), admission.groups(),
            topic, ingress.partition(), ingress.offset(), record.timestamp());

        if (!admitted) {
            final RecordOutcome outcome = new RecordOutcome(recordContext, Chain.EMPTY);
            outcome.reject(admission.refusal(), null, admission.reason());
            forwardRejected(record, record.headers(), outcome);
            return;
        }

        final Chain chain = admission.chain(resolver);
        final RecordOutcome outcome = new RecordOutcome(recordContext, chain);
        if (chain.isEmpty()) {
            forward(record, record, null, route, outcome, 0);
            return;
        }
        // A rejected record goes out as it came in: keep the ingress headers before the chain touches them (an array:
        // the Headers object around it is made only for a rejection).
        final Header[] ingressHeaders = record.headers().toArray();
        final ChainRecord chainRecord = new ChainRecord(recordContext, record.key(), record.value(), record.headers());
        try {
            runner.runOnSend(chainRecord, outcome);
        } catch (final Error fatal) {
            // The guard lets errors the JVM cannot recover from through: the thread dies and the record is
            // processed again, but the instances that saw it still get their one onAcknowledgement for this try.
            runner.acknowledge(outcome, new IllegalStateException("processing stopped: " + fatal, fatal));
            throw fatal;
        }
        if (outcome.failure() != null) {
            forwardRejected(record, new RecordHeaders(ingressHeaders), outcome);
        } else {
            // One Record, not withKey/withValue/withHeaders: each of those copies the headers into a new Record.
            forward(new Record<>(chainRecord.key(), chainRecord.value(), record.timestamp(), chainRecord.headers()),
                record, ingressHeaders, route, outcome, chainRecord.duplicates());
        }
    }

    /**
     * Writes the chain's result to egress — unless the broker would refuse it as too large: then the ingress
     * record goes to the rejected topic and the outcome is {@code FAILED}. A refused write would fail the whole
     * exactly-once transaction, again on every retry.
     *
     * @param ingressHeaders the ingress headers as they came, or {@code null} when the chain did not run (the ingress
     *                       record's own headers are then unchanged)
     */
    private void forward(final Record<byte[], byte[]> result, final Record<byte[], byte[]> ingressRecord,
                         final Header[] ingressHeaders, final TopicRoute route, final RecordOutcome outcome,
                         final int duplicates) {
        // Where routes form a chain, Sluice marks the routes a record passed; other routes forward it as it is.
        final Record<byte[], byte[]> record = route.hops() == null ? result
            : result.withHeaders(route.hops().egressHeaders(
                ingressHeaders == null ? ingressRecord.headers() : new RecordHeaders(ingressHeaders), result.headers()));
        final int size = RecordSizeLimits.upperBound(record.key(), record.value(), record.headers());
        final int limit = limits.maxRecordBytes(route.egress());
        if (size > limit) {
            outcome.writeFailed("the record is up to " + size + " bytes, more than the " + limit
                + " bytes the egress topic '" + route.egress() + "' accepts (max.message.bytes / max.request.size)");
            forwardRejected(ingressRecord,
                ingressHeaders == null ? ingressRecord.headers() : new RecordHeaders(ingressHeaders), outcome);
            return;
        }
        acknowledgements.begin(outcome);
        try {
            for (int copy = 0; copy <= duplicates; copy++) {
                context.forward(record, SluiceTopology.EGRESS_SINK);
            }
        } finally {
            acknowledgements.end(outcome);
        }
    }

    private void forwardRejected(final Record<byte[], byte[]> record, final Headers ingressHeaders,
                                 final RecordOutcome outcome) {
        Record<byte[], byte[]> rejected = record.withHeaders(rejectionHeaders(ingressHeaders, outcome));
        final int limit = limits.maxRecordBytes(rejectedTopic);
        if (RecordSizeLimits.upperBound(rejected.key(), rejected.value(), rejected.headers()) > limit) {
            // Not even the rejected topic takes it: keep the reason, leave out what the record held.
            outcome.writeFailed(outcome.failure().message() + "; the record is also larger than the " + limit
                + " bytes the rejected topic accepts: written there without key, value and headers");
            rejected = record.<byte[]>withKey(null).<byte[]>withValue(null)
                .withHeaders(rejectionHeaders(new RecordHeaders(), outcome));
        }
        acknowledgements.begin(outcome);
        try {
            context.forward(rejected, SluiceTopology.REJECTED_SINK);
        } finally {
            acknowledgements.end(outcome);
        }
    }

    private static Headers rejectionHeaders(final Headers ingressHeaders, final RecordOutcome outcome) {
        final RecordOutcome.Failure failure = outcome.failure();
        final Headers headers = new RecordHeaders(ingressHeaders);
        // Only Sluice says why a record was rejected: a client cannot plant these headers.
        headers.remove(REJECTED_BY);
        headers.remove(REASON);
        headers.add(REJECTED_BY, utf8(failure.interceptor() == null ? "sluice" : failure.interceptor()));
        headers.add(REASON, utf8(failure.message()));
        return headers;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

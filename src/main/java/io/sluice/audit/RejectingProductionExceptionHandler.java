package io.sluice.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.topology.SluiceTopology;

/**
 * The backstop for a write the broker refuses although the chain processor checked its size (another limit, a
 * topic reconfigured meanwhile): Streams goes on, and the record — as it was sent to egress — goes to the rejected
 * topic (Streams' dead-letter topic, {@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}) with the
 * headers {@code sluice-rejected-by: sluice} and {@code sluice-reason}. Its acknowledgement event says
 * {@code FAILED}. Under at-least-once that is the end of it; under exactly-once the refused write has failed the
 * transaction already, so the records of that transaction are processed again.
 */
public final class RejectingProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RejectingProductionExceptionHandler.class);
    private static final long LOG_INTERVAL_MS = 10_000;

    private final AtomicLong lastLogged = new AtomicLong();
    private String rejectedTopic;

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        rejectedTopic = topic == null ? null : topic.toString();
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                final Exception exception) {
        final String reason = "writing to '" + (record == null ? "?" : record.topic()) + "' failed: "
            + Failures.describe(exception);
        final long now = System.currentTimeMillis();
        final long previous = lastLogged.get();
        if (now - previous >= LOG_INTERVAL_MS && lastLogged.compareAndSet(previous, now)) {
            LOG.warn("{}; the record goes to the rejected topic (logged at most every {} s)", reason,
                LOG_INTERVAL_MS / 1000);
        }
        // Never dead-letter a write to the rejected topic itself: it would be refused again, for ever.
        if (rejectedTopic == null || record == null || rejectedTopic.equals(record.topic())) {
            return Response.resume();
        }
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(SluiceTopology.REJECTED_BY_HEADER, "sluice".getBytes(StandardCharsets.UTF_8));
        headers.add(SluiceTopology.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        return Response.resume(List.of(new ProducerRecord<>(rejectedTopic, null, record.timestamp(), record.key(),
            record.value(), headers)));
    }
}

package io.sluice.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.sluice.audit.AuditJson;
import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.TopicPartitionOffset;

/** Acknowledgement events written to an acks topic as Sluice writes them (its codec), for tests of their readers. */
public final class AckEvents {

    private AckEvents() {
    }

    /** An acknowledged record's event, as a record of that context at {@code time} gets it. */
    public static AckEvent event(final String vcluster, final String username, final List<String> groups,
                                 final String topic, final long offset, final Instant time) {
        return AckEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setTime(time)
            .setApplicationId("sluice")
            .setContext(new AckContext(vcluster, username, groups))
            .setIngress(new TopicPartitionOffset(topic, 0, offset))
            .setEgress(new TopicPartitionOffset(topic + ".out", 0, offset))
            .setOutcome(AckOutcome.ACKNOWLEDGED)
            .setError(null)
            .setChain(List.of())
            .setInterceptorErrors(List.of())
            .setViolations(List.of())
            .build();
    }

    /** Writes the events, each with its own time as the record timestamp (as Sluice's records have it). */
    public static long write(final String bootstrapServers, final String topic, final Iterator<AckEvent> events) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        long written = 0;
        final AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            while (events.hasNext()) {
                final AckEvent event = events.next();
                final byte[] key = (event.getContext().getVcluster() + "/"
                    + (event.getContext().getUsername() == null ? "" : event.getContext().getUsername())).getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, null, event.getTime().toEpochMilli(), key,
                    AuditJson.ackCodec().encode(event)), (metadata, error) -> {
                        if (error != null) {
                            failed.compareAndSet(null, error);
                        }
                    });
                written++;
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("writing acknowledgement events to " + topic + " failed", failed.get());
        }
        return written;
    }
}

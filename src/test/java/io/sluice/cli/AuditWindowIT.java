package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.audit.AuditJson;
import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.testkit.KafkaCluster;

/**
 * The console's audit window on a real broker: the newest matching events across partitions, newest first, read
 * backwards a step at a time — never more than the budget, never before {@code since}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AuditWindowIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final String TOPIC = "window_acks";
    /** Events in one burst with one time, as an exactly-once transaction's events are. */
    private static final String BURST = "burst_acks";
    private static final int EVENTS = 3_000;
    private static final long T0 = 1_767_225_600_000L;

    @BeforeAll
    static void writeEvents() throws Exception {
        // given: 3,000 events over 3 partitions, one a second; every 1,000th is bob's rejected record
        KAFKA.createTopic(TOPIC, 3);
        KAFKA.createTopic(BURST, 3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                final boolean bob = i % 1_000 == 0;
                final AckEvent event = AckEvent.newBuilder().setEventId("e" + i).setTime(Instant.ofEpochMilli(T0 + i * 1000L))
                    .setApplicationId("window").setContext(new AckContext("payments", bob ? "bob" : "alice", List.of()))
                    .setIngress(new TopicPartitionOffset("orders.in", i % 3, (long) (i / 3))).setEgress(null)
                    .setOutcome(bob ? AckOutcome.REJECTED : AckOutcome.ACKNOWLEDGED).setError(null).build();
                producer.send(new ProducerRecord<>(TOPIC, i % 3, T0 + i * 1000L, null,
                    AuditJson.ackCodec().encode(event)));
                event.setTime(Instant.ofEpochMilli(T0));
                producer.send(new ProducerRecord<>(BURST, i % 3, T0, null, AuditJson.ackCodec().encode(event)));
            }
            producer.flush();
        }
    }

    @Test
    void theNewestEventsAcrossPartitionsNewestFirstFromOneStepEach() {
        try (AuditTopicReader<AckEvent> reader = reader()) {
            final AuditTopicReader.Latest<AckEvent> latest = reader.latest(event -> true, AckEvent::getTime, null, 10,
                50_000);
            assertEquals(List.of("e2999", "e2998", "e2997", "e2996", "e2995", "e2994", "e2993", "e2992", "e2991", "e2990"),
                ids(latest.events()));
            assertTrue(latest.complete());
            assertEquals(300, latest.scanned(), "one step of 100 records per partition");
        }
    }

    @Test
    void eventsWithOneTimeAreReadOneStepAPartitionNotToTheBudget() {
        // given: 3,000 events that all have the same time (one exactly-once transaction's events do)
        try (AuditTopicReader<AckEvent> reader = reader(BURST)) {
            // when
            final AuditTopicReader.Latest<AckEvent> latest = reader.latest(event -> true, AckEvent::getTime, null, 10,
                50_000);
            // then: a full window of events as new as any older one ends the scan after one step per partition
            assertEquals(10, latest.events().size());
            assertTrue(latest.complete());
            assertEquals(300, latest.scanned(), "one step of 100 records per partition");
        }
    }

    @Test
    void aRareMatchIsFoundFurtherBackAndTheBudgetBoundsTheScan() {
        try (AuditTopicReader<AckEvent> reader = reader()) {
            // when: bob's records, all of them within the budget
            final AuditTopicReader.Latest<AckEvent> all = reader.latest(event -> "bob".equals(
                event.getContext().getUsername()), AckEvent::getTime, null, 100, 50_000);
            assertEquals(List.of("e2000", "e1000", "e0"), ids(all.events()));
            assertTrue(all.complete());
            assertEquals(EVENTS, all.scanned());

            // when: a budget smaller than the topic
            final AuditTopicReader.Latest<AckEvent> bounded = reader.latest(event -> "bob".equals(
                event.getContext().getUsername()), AckEvent::getTime, null, 100, 1_200);
            assertFalse(bounded.complete(), "the budget stopped the scan");
            assertTrue(bounded.scanned() <= 1_200 + 3 * 400, "at most one more step per partition: " + bounded.scanned());
            assertEquals(List.of("e2000"), ids(bounded.events()));
        }
    }

    @Test
    void sinceStopsTheScanAtThatTime() {
        try (AuditTopicReader<AckEvent> reader = reader()) {
            final Instant since = Instant.ofEpochMilli(T0 + 2_950 * 1000L);
            final AuditTopicReader.Latest<AckEvent> latest = reader.latest(event -> !event.getTime().isBefore(since),
                AckEvent::getTime, since, 1_000, 50_000);
            assertEquals(50, latest.events().size());
            assertEquals("e2999", latest.events().get(0).getEventId());
            assertEquals("e2950", latest.events().get(49).getEventId());
            assertTrue(latest.scanned() <= 60, "read from the offsets for that time: " + latest.scanned());
        }
    }

    private static AuditTopicReader<AckEvent> reader() {
        return reader(TOPIC);
    }

    private static AuditTopicReader<AckEvent> reader(final String topic) {
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return new AuditTopicReader<AckEvent>(client, topic, io.sluice.audit.AuditDecoder.acks(null)::decode,
            new PrintWriter(new StringWriter()));
    }

    private static List<String> ids(final List<AckEvent> events) {
        final List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.getEventId()));
        return ids;
    }
}

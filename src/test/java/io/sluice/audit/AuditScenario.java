package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.BindingLevel;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.TestRecord;

/**
 * The end-to-end audit scenario, on any broker: records of several users flow through a chain with a recording,
 * a rejecting and a flaky interceptor; one is rejected, one is too large for the egress topic. Then every record
 * has exactly one acknowledgement event that points at an egress record really holding it (or says why not), the
 * commit events reach the ingress end offsets, and the hooks saw what they should.
 */
final class AuditScenario {

    static final int EGRESS_MAX_MESSAGE_BYTES = 4_000;
    private static final String[] USERS = {"alice", "bob", "carol", null};

    private final AuditHarness harness;
    private final String recorder;

    AuditScenario(final AuditHarness harness, final String recorder) {
        this.harness = harness;
        this.recorder = recorder;
    }

    /**
     * The whole scenario under exactly-once on the broker at {@code bootstrapServers}: a topology named
     * {@code prefix}, 200 records, then every check.
     */
    static void runExactlyOnce(final String bootstrapServers, final String prefix, final java.nio.file.Path stateDir)
        throws InterruptedException {
        try (AuditHarness harness = new AuditHarness(bootstrapServers, prefix,
            io.sluice.topology.ProcessingGuarantee.EXACTLY_ONCE_V2, stateDir)) {
            harness.createTopics(3, Map.of(org.apache.kafka.common.config.TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(EGRESS_MAX_MESSAGE_BYTES)))
                .publish(prefix + "-recorder", "test-recording", "rejecter", "test-rejecting", "flaky", "test-flaky")
                .start();
            final AuditScenario scenario = new AuditScenario(harness, prefix + "-recorder");
            final List<TestRecord> records = records(200);

            final List<RecordMetadata> ingress = harness.produce(records);

            scenario.verify(records, ingress);
            scenario.verifyCommits();
            scenario.verifyHooks(ingress);
        }
    }

    /** The records: {@code count} ordinary ones from four users, a rejected one, a too-large one, a warned one, a boom. */
    static List<TestRecord> records(final int count) {
        final List<TestRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(fromUser(i, "value-" + i));
            if (i == count / 4) {
                records.add(fromUser(i, "reject-" + i));
            }
            if (i == count / 3) {
                records.add(fromUser(i, "big-" + "x".repeat(EGRESS_MAX_MESSAGE_BYTES)));
            }
            if (i == count / 2) {
                records.add(fromUser(i, "warn-" + i));
                records.add(fromUser(i, "boom-" + i));
            }
        }
        return records;
    }

    private static TestRecord fromUser(final int i, final String value) {
        final String user = USERS[i % USERS.length];
        TestRecord record = TestRecord.of("key-" + i, value);
        if (user != null) {
            record = record.header("sluice-user", user).header("sluice-groups", "team-" + (i % 2) + ",all");
        }
        return record;
    }

    /** Checks everything a reader of the audit topics relies on; returns the events. */
    List<AuditHarness.Event<AckEvent>> verify(final List<TestRecord> records, final List<RecordMetadata> ingress)
        throws InterruptedException {
        final int n = records.size();
        final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(n);
        final int acksPartitions = KafkaClients.await(harness.admin().describeTopics(
            List.of(harness.topology.auditTopics().acks())).allTopicNames()).values().iterator().next()
            .partitions().size();
        assertEquals(n, acks.size(), "one acknowledgement event per ingress record");

        final Map<String, AuditHarness.Event<AckEvent>> byIngress = new HashMap<>();
        for (final AuditHarness.Event<AckEvent> ack : acks) {
            final TopicPartitionOffset in = ack.value().getIngress();
            final String key = TestPlugins.coordinates(in.getTopic(), in.getPartition(), in.getOffset());
            assertNull(byIngress.put(key, ack), "a second event for " + key);
        }
        final List<ConsumerRecord<String, String>> egress = harness.readToEnd(harness.egress);
        final Map<String, ConsumerRecord<String, String>> egressByPosition = egress.stream()
            .collect(Collectors.toMap(record -> record.partition() + "/" + record.offset(), record -> record));

        int acknowledged = 0;
        for (int i = 0; i < n; i++) {
            final TestRecord sent = records.get(i);
            final RecordMetadata where = ingress.get(i);
            final AuditHarness.Event<AckEvent> event = byIngress.get(
                TestPlugins.coordinates(where.topic(), where.partition(), where.offset()));
            assertNotNull(event, "no event for ingress record " + where);
            final AckEvent ack = event.value();
            assertEquals(harness.topology.applicationId(), ack.getApplicationId());
            assertEquals(AuditEvents.ackId(harness.topology.applicationId(), where.topic(), where.partition(),
                where.offset()), ack.getEventId(), "a deterministic event id");
            final String user = sent.headers().get("sluice-user");
            assertEquals(user, ack.getContext().getUsername());
            assertEquals(BuiltInPartitioner.partitionForKey(AuditEvents.ackKey("default", user), acksPartitions),
                event.record().partition(), "on the partition of its vcluster/user key, as every event of that user");
            assertEquals(3, ack.getChain().size(), "the resolved chain");
            assertEquals(BindingLevel.GLOBAL, ack.getChain().get(0).getLevel());
            if (sent.value().startsWith("reject")) {
                assertRejected(ack);
            } else if (sent.value().startsWith("big")) {
                assertFailed(ack);
            } else {
                assertEquals(AckOutcome.ACKNOWLEDGED, ack.getOutcome(), ack.toString());
                assertNull(ack.getError());
                final TopicPartitionOffset out = ack.getEgress();
                assertEquals(harness.egress, out.getTopic());
                final ConsumerRecord<String, String> written = egressByPosition.get(out.getPartition() + "/" + out.getOffset());
                assertNotNull(written, "the egress record the event points at is committed: " + out);
                assertEquals(sent.value(), written.value(), "the egress record at " + out + " holds the ingress record");
                acknowledged++;
                if (sent.value().startsWith("warn")) {
                    assertEquals("values starting with 'warn' are frowned upon", ack.getViolations().get(0).getMessage());
                }
                if (sent.value().startsWith("boom")) {
                    assertEquals("onSend", ack.getInterceptorErrors().get(0).getHook());
                }
            }
        }
        assertEquals(acknowledged, egress.size(), "each acknowledged record is on egress once, and nothing else is");
        return acks;
    }

    private void assertRejected(final AckEvent ack) {
        assertEquals(AckOutcome.REJECTED, ack.getOutcome());
        assertNull(ack.getEgress());
        assertEquals("REJECTION", ack.getError().getKind());
        assertEquals("rejecter", ack.getError().getInterceptor());
        final List<ConsumerRecord<String, String>> rejected = harness.read(harness.topology.rejectedTopic(), 2,
            Duration.ofSeconds(5));
        assertTrue(rejected.stream().anyMatch(record -> "rejecter".equals(KafkaClients.header(record, "sluice-rejected-by"))
            && record.value().startsWith("reject")), "the rejected record is on the rejected topic");
    }

    private void assertFailed(final AckEvent ack) {
        assertEquals(AckOutcome.FAILED, ack.getOutcome(), ack.toString());
        assertNull(ack.getEgress());
        assertEquals("EGRESS_WRITE_FAILED", ack.getError().getKind());
        assertNull(ack.getError().getInterceptor());
        final List<ConsumerRecord<String, String>> rejected = harness.read(harness.topology.rejectedTopic(), 2,
            Duration.ofSeconds(5));
        assertTrue(rejected.stream().anyMatch(record -> "sluice".equals(KafkaClients.header(record, "sluice-rejected-by"))
                && record.value().startsWith("big-")
                && KafkaClients.header(record, "sluice-reason").contains("max.message.bytes")),
            "the too-large record is on the rejected topic with the reason");
    }

    /** The committed commit events reach the ingress end offsets, and so did onCommit. */
    void verifyCommits() throws InterruptedException {
        final Map<TopicPartition, Long> ends = harness.endOffsets(harness.ingress);
        final List<AuditHarness.Event<CommitEvent>> commits = harness.commitsReaching(ends);
        final Map<TopicPartition, Long> reached = new HashMap<>();
        for (final AuditHarness.Event<CommitEvent> commit : commits) {
            assertEquals(harness.topology.applicationId(), commit.value().getApplicationId());
            assertTrue(commit.value().getInstance().contains("StreamThread"), commit.value().getInstance());
            commit.value().getOffsets().forEach(offset -> reached.merge(
                new TopicPartition(offset.getTopic(), offset.getPartition()), offset.getOffset(), Math::max));
        }
        assertEquals(ends, reached, "the commit events reach the ingress end offsets (the next offsets to consume)");

        final Map<TopicPartition, Long> hooked = new HashMap<>();
        TestPlugins.recording(recorder).commits.forEach(offsets -> offsets.forEach(offset -> hooked.merge(
            new TopicPartition(offset.topic(), offset.partition()), offset.offset(), Math::max)));
        assertEquals(ends, hooked, "onCommit saw the same offsets");
    }

    /** Every record the recorder saw in onSend got exactly as many onAcknowledgement; every fetch was observed. */
    void verifyHooks(final List<RecordMetadata> ingress) {
        final TestPlugins.Recording recording = TestPlugins.recording(recorder);
        final Set<String> offsets = new HashSet<>();
        ingress.forEach(where -> offsets.add(TestPlugins.coordinates(where.topic(), where.partition(), where.offset())));
        assertEquals(offsets, recording.sends.keySet(), "onSend saw every record");
        recording.sends.forEach((key, sends) -> assertEquals(sends.get(),
            recording.acknowledgements.getOrDefault(key, new java.util.concurrent.atomic.AtomicInteger()).get(),
            "one onAcknowledgement per onSend of " + key));
        assertTrue(recording.consumed.keySet().containsAll(offsets), "onConsume saw every fetched record");
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;

class AuditAtLeastOnceIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path stateDir;

    @Test
    void everyRecordHasAnEventPointingAtItsEgressRecordAndCommitsAreAudited() throws Exception {
        // given
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "alos", ProcessingGuarantee.AT_LEAST_ONCE,
            stateDir)) {
            harness.createTopics(3, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(AuditScenario.EGRESS_MAX_MESSAGE_BYTES)))
                .publish("alos-recorder", "test-recording", "rejecter", "test-rejecting", "flaky", "test-flaky")
                .start();
            final AuditScenario scenario = new AuditScenario(harness, "alos-recorder");
            final List<TestRecord> records = AuditScenario.records(200);

            // when
            final List<RecordMetadata> ingress = harness.produce(records);

            // then: without a crash, at-least-once gives exactly one event per record too
            scenario.verify(records, ingress);
            scenario.verifyCommits();
            scenario.verifyHooks(ingress);
        }
    }

    @Test
    void aRecordsEventGoesOutSoonWhenNoRecordFollowsAndNoCommitIsDue() throws Exception {
        // given: offsets committed only every ten minutes, so no commit's flush writes the events
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "alos-tick",
            ProcessingGuarantee.AT_LEAST_ONCE, stateDir.resolve("tick"))) {
            harness.createTopics(1, Map.of()).start(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "600000"));

            // when: one record, and nothing after it
            harness.produce(List.of(TestRecord.of("k0", "alone")));

            // then: its event is written within seconds (events wait for a batch at most a moment), not at the commit
            final List<AuditHarness.Event<AckEvent>> acks = harness.acks(1, Duration.ofSeconds(20));
            assertEquals(1, acks.size());
            assertEquals(AckOutcome.ACKNOWLEDGED, acks.get(0).value().getOutcome());
        }
    }

    @Test
    void aWriteTheBrokerRefusesAfterAllIsDeadLetteredAndFailed() throws Exception {
        // given: the egress limit is read (and cached) on the first record, then lowered behind Sluice's back (to
        // more than the producer's batch.size: a refused batch of several records would be split and retried)
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "backstop",
            ProcessingGuarantee.AT_LEAST_ONCE, stateDir.resolve("backstop"))) {
            harness.createTopics(1, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100000")).start();
            harness.produce(List.of(TestRecord.of("k0", "first")));
            assertEquals(1, harness.acks(1, AuditHarness.TIMEOUT).size());
            final ConfigResource egress = new ConfigResource(ConfigResource.Type.TOPIC, harness.egress);
            harness.admin().incrementalAlterConfigs(Map.of(egress, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "20000"), AlterConfigOp.OpType.SET)))).all().get();

            // when: the big record alone (a batch holding it and another record would be split and retried by the
            // producer without end, a Kafka producer limitation the size check exists to avoid), then one more
            harness.produce(List.of(TestRecord.of("k1", "big-" + "x".repeat(30_000))));
            assertEquals(2, harness.acks(2, AuditHarness.TIMEOUT).size());
            harness.produce(List.of(TestRecord.of("k2", "after")));

            // then
            final List<AckEvent> acks = harness.exactlyAcks(3).stream().map(AuditHarness.Event::value).toList();
            assertEquals(3, acks.size());
            final AckEvent failed = acks.get(1);
            assertEquals(AckOutcome.FAILED, failed.getOutcome(), failed.toString());
            assertNull(failed.getEgress());
            assertTrue(failed.getError().getMessage().contains("RecordTooLargeException"), failed.getError().getMessage());
            assertEquals(AckOutcome.ACKNOWLEDGED, acks.get(2).getOutcome(), "later records flow");
            final List<ConsumerRecord<String, String>> rejected = harness.read(harness.topology.rejectedTopic(), 1,
                AuditHarness.TIMEOUT);
            assertEquals("sluice", KafkaClients.header(rejected.get(0), "sluice-rejected-by"));
            assertTrue(rejected.get(0).value().startsWith("big-"));
            assertTrue(KafkaClients.header(rejected.get(0), "sluice-reason").contains("RecordTooLargeException"));
        }
    }
}

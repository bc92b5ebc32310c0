package io.sluice.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
}

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

class AuditExactlyOnceIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path stateDir;

    @Test
    void everyRecordHasOneEventPointingAtItsCommittedEgressRecord() throws Exception {
        // given
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "eos", ProcessingGuarantee.EXACTLY_ONCE_V2,
            stateDir)) {
            harness.createTopics(3, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(AuditScenario.EGRESS_MAX_MESSAGE_BYTES)))
                .publish("eos-recorder", "test-recording", "rejecter", "test-rejecting", "flaky", "test-flaky")
                .start();
            final AuditScenario scenario = new AuditScenario(harness, "eos-recorder");
            final List<TestRecord> records = AuditScenario.records(200);

            // when
            final List<RecordMetadata> ingress = harness.produce(records);

            // then
            scenario.verify(records, ingress);
            scenario.verifyCommits();
            scenario.verifyHooks(ingress);
        }
    }
}

package io.sluice.audit;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testkit.KafkaCluster;

/** The end-to-end audit scenario ({@link AuditScenario}) under exactly_once_v2 on the in-JVM broker. */
class AuditExactlyOnceIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path stateDir;

    @Test
    void everyRecordHasOneEventPointingAtItsCommittedEgressRecord() throws Exception {
        AuditScenario.runExactlyOnce(KAFKA.bootstrapServers(), "eos", stateDir);
    }
}

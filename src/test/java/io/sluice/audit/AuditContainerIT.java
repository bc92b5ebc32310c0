package io.sluice.audit;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The end-to-end audit scenario ({@link AuditScenario}) on Apache Kafka in Docker, the image of our Kafka line
 * (override with {@code -Dsluice.test.kafka-image=apache/kafka:<version>}). Skipped where there is no Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class AuditContainerIT {

    static final String IMAGE = System.getProperty("sluice.test.kafka-image", "apache/kafka:4.3.1");

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse(IMAGE));

    @TempDir
    Path stateDir;

    @Test
    void everyRecordHasOneEventPointingAtItsCommittedEgressRecord() throws Exception {
        AuditScenario.runExactlyOnce(KAFKA.getBootstrapServers(), "docker", stateDir);
    }
}

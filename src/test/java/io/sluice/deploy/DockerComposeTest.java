package io.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.sluice.topology.TopologyFile;
import io.sluice.topology.TopologyFiles;

/** docker-compose.yml cannot run here (no Docker engine), so its promises are checked on the file itself. */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    @SuppressWarnings("unchecked")
    void describesAThreeBrokerKraftClusterOfOurKafkaVersionAndTwoSluiceInstances() throws Exception {
        // given: the compose file, with YAML anchors and merge keys resolved
        final Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            compose = new Yaml().load(reader);
        }
        final Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

        // then: three brokers of the Kafka version we build against, one KRaft quorum, distinct node ids
        final List<Map<String, Object>> brokers = services.entrySet().stream()
            .filter(service -> service.getKey().startsWith("kafka-")).map(Map.Entry::getValue).toList();
        assertEquals(3, brokers.size());
        final Set<Object> nodeIds = brokers.stream()
            .map(broker -> ((Map<String, Object>) broker.get("environment")).get("KAFKA_NODE_ID"))
            .collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), nodeIds);
        for (final Map<String, Object> broker : brokers) {
            assertEquals("apache/kafka:" + AppInfoParser.getVersion(), broker.get("image"));
            final Map<String, Object> environment = (Map<String, Object>) broker.get("environment");
            assertEquals("broker,controller", environment.get("KAFKA_PROCESS_ROLES"));
            assertEquals("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093", environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            // replicated as a production cluster: the loss of one broker loses and stops nothing
            assertEquals(3, environment.get("KAFKA_DEFAULT_REPLICATION_FACTOR"));
            assertEquals(2, environment.get("KAFKA_MIN_INSYNC_REPLICAS"));
            assertEquals(3, environment.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"));
            assertEquals(3, environment.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"));
            assertEquals(2, environment.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"));
        }

        // and: two Sluice instances running the same topology (so one application id) against all three brokers
        final List<Map<String, Object>> sluices = services.entrySet().stream()
            .filter(service -> service.getKey().startsWith("sluice-")).map(Map.Entry::getValue).toList();
        assertEquals(2, sluices.size());
        assertEquals(sluices.get(0).get("command"), sluices.get(1).get("command"));
        assertTrue(String.valueOf(sluices.get(0).get("command")).contains("/app/topologies/examples/cluster.yaml"));
        for (final Map<String, Object> sluice : sluices) {
            assertEquals("kafka-1:9092,kafka-2:9092,kafka-3:9092",
                ((Map<String, Object>) sluice.get("environment")).get("SLUICE_BOOTSTRAP_SERVERS"));
        }

        // and: a Confluent-compatible schema registry (the Apicurio version the tests run), which both instances use
        final Map<String, Object> registry = services.get("schema-registry");
        assertEquals("apicurio/apicurio-registry:3.0.9", registry.get("image"));
        for (final Map<String, Object> sluice : sluices) {
            assertEquals("http://schema-registry:8080/apis/ccompat/v7",
                ((Map<String, Object>) sluice.get("environment")).get("SLUICE_SCHEMA_REGISTRY_URL"));
            assertTrue(((List<Object>) sluice.get("depends_on")).contains("schema-registry"));
        }
    }

    @Test
    void theSluiceInstancesTopologyReplicatesEveryTopicThreeTimesWithTwoInSync() {
        // given: the topology the compose file's instances run (the image has topologies/ at /app/topologies)
        final TopologyFiles.Result topology = TopologyFiles.read(Path.of("topologies/examples/cluster.yaml"));

        // then
        assertEquals(List.of(), topology.problems());
        assertEquals(new TopologyFile.Replication(3, 2), topology.topology().replication());
        assertEquals(TopologyFiles.read(TopologyFiles.DEFAULT_FILE).topology().routes(), topology.topology().routes(),
            "the default topology's routes");
    }

    @Test
    void isAcceptedByDockerComposeWhereItIsInstalled() throws Exception {
        final boolean installed = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
        Assumptions.assumeTrue(installed, "docker-compose is not installed");
        final Process check = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
            .redirectErrorStream(true).start();
        final String output = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), output);
    }
}

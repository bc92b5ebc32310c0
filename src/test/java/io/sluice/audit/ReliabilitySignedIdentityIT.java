package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaCluster;
import io.sluice.topology.IdentitySignature;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

/**
 * Signed identity end to end: {@code ./sluice produce --sign-key-file} writes to a route with
 * {@code identity: signed} on a real broker; the signed records pass under their identity, unsigned and wrongly
 * signed ones are rejected with INVALID_CONTEXT and the reason — and no interceptor's {@code onConsume} sees them.
 */
class ReliabilitySignedIdentityIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path dir;

    @Test
    void onlyRecordsSignedWithTheRoutesKeyPass() throws Exception {
        // given: a signed route, its key in a file, and another key
        final Path key = Files.writeString(dir.resolve("identity.key"), randomKey());
        final Path otherKey = Files.writeString(dir.resolve("other.key"), randomKey());
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "signed",
            ProcessingGuarantee.EXACTLY_ONCE_V2, dir.resolve("state"))) {
            harness.createTopics(1, Map.of()).publish("signed-recorder", "test-recording");
            final TopologyFile topology = new TopologyFile(harness.topology.applicationId(),
                harness.topology.configTopic(), harness.topology.auditTopics(), harness.topology.rejectedTopic(),
                ProcessingGuarantee.EXACTLY_ONCE_V2,
                List.of(new Route(harness.ingress, harness.egress, null, false, IdentitySignature.fromFile(key))));
            final Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            try (SluiceApp app = new SluiceApp(topology, client, dir.resolve("state"), TestPlugins.registry()).start()) {
                assertTrue(app.awaitRunning(AuditHarness.TIMEOUT));

                // when
                produce(harness.ingress, "signed-1\nsigned-2\n", "--user", "alice", "--groups", "a,b",
                    "--sign-key-file", key.toString());
                produce(harness.ingress, "unsigned\n", "--user", "alice");
                produce(harness.ingress, "wrong-key\n", "--user", "alice", "--sign-key-file", otherKey.toString());

                // then
                final List<AckEvent> acks = harness.exactlyAcks(4).stream().map(AuditHarness.Event::value)
                    .sorted(Comparator.comparingLong(ack -> ack.getIngress().getOffset())).toList();
                assertEquals(4, acks.size());
                assertEquals(List.of(AckOutcome.ACKNOWLEDGED, AckOutcome.ACKNOWLEDGED, AckOutcome.REJECTED,
                    AckOutcome.REJECTED), acks.stream().map(AckEvent::getOutcome).toList());
                assertEquals("alice", acks.get(0).getContext().getUsername());
                assertEquals("INVALID_CONTEXT", acks.get(2).getError().getKind());
                assertEquals("sluice-identity-signature is missing: this route accepts signed identities only",
                    acks.get(2).getError().getMessage());
                assertTrue(acks.get(3).getError().getMessage().contains("does not match the identity headers"),
                    acks.get(3).getError().getMessage());
                assertEquals(2, harness.readToEnd(harness.egress).size());
                // onConsume runs before the chain, in the same fetch: by now it has seen every record it will see
                assertEquals(Set.of(TestPlugins.coordinates(harness.ingress, 0, 0),
                        TestPlugins.coordinates(harness.ingress, 0, 1)),
                    TestPlugins.recording("signed-recorder").consumed.keySet(),
                    "onConsume saw only the signed records");
            }
        }
    }

    private void produce(final String topic, final String stdin, final String... options) throws Exception {
        final Path input = Files.writeString(dir.resolve("stdin.txt"), stdin);
        final List<String> command = new java.util.ArrayList<>(List.of("./sluice", "produce", "--topic", topic,
            "--bootstrap-servers", KAFKA.bootstrapServers()));
        command.addAll(List.of(options));
        final Process process = new ProcessBuilder(command).redirectInput(input.toFile())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("produce.log").toFile()))
            .start();
        assertEquals(0, process.waitFor(), () -> "sluice produce: " + read(dir.resolve("produce.log")));
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final java.io.IOException e) {
            return "";
        }
    }

    private static String randomKey() {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}

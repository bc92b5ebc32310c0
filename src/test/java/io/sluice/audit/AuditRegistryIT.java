package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistrySettings;
import io.sluice.registry.WireFormat;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.TopologyFile;

/**
 * The audit in a real schema registry: with {@code schemaRegistry} set, the event schemas are registered under
 * {@code <topic>-value} and events are written in the wire format, readable by any schema-aware consumer; an audit
 * topic that holds both encodings (the registry was set up later) and batched events reads whole with
 * {@code sluice audit}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AuditRegistryIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();
    @RegisterExtension
    static final SchemaRegistry REGISTRY = SchemaRegistry.shared();

    @TempDir
    Path stateDir;
    @TempDir
    Path folder;

    @Test
    void eventsAreFramedWithTheRegisteredSchemasAndAuditReadsBothEncodings() throws Exception {
        final SchemaRegistrySettings settings = SchemaRegistrySettings.of(URI.create(REGISTRY.url()));
        // given an application that ran without a registry
        try (AuditHarness plain = new AuditHarness(KAFKA.bootstrapServers(), "reg", ProcessingGuarantee.EXACTLY_ONCE_V2,
            stateDir)) {
            plain.createTopics(1, Map.of()).start();
            plain.produce(List.of(TestRecord.of("k1", "before-1").header("sluice-user", "alice")));
            assertEquals(1, plain.acks(1, AuditHarness.TIMEOUT).size());
        }
        // when it runs again with one
        try (AuditHarness framed = new AuditHarness(KAFKA.bootstrapServers(), "reg", ProcessingGuarantee.EXACTLY_ONCE_V2,
            stateDir, settings)) {
            framed.start();
            framed.produce(List.of(TestRecord.of("k2", "after-2").header("sluice-user", "bob"),
                TestRecord.of("k3", "after-3").header("sluice-user", "bob")));

            // then the schemas are in the registry under <topic>-value, and the new events carry their id
            final SchemaRegistryClient registry = new SchemaRegistryClient(settings);
            final int ackId = registry.version("reg_acks-value", "latest").id();
            final int commitId = registry.version("reg_commits-value", "latest").id();
            final List<ConsumerRecord<byte[], byte[]>> acks = KafkaClients.consumeBytes(KAFKA.bootstrapServers(),
                "reg_acks", 3, AuditHarness.TIMEOUT, IsolationLevel.READ_COMMITTED);
            assertEquals(3, acks.size());
            assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(acks.get(0).value(), 2), "single-object before");
            for (final ConsumerRecord<byte[], byte[]> ack : acks.subList(1, 3)) {
                assertEquals(ackId, WireFormat.schemaId(ack.value()));
                // a schema-aware consumer: the writer schema from the registry by id, Avro's generic reader
                final GenericRecord event = genericRead(registry, ack.value());
                assertEquals("ACKNOWLEDGED", event.get("outcome").toString());
                assertEquals("bob", ((GenericRecord) event.get("context")).get("username").toString());
            }
            framed.commitsReaching(framed.endOffsets(framed.ingress));
            final List<ConsumerRecord<byte[], byte[]>> commits = KafkaClients.consumeBytes(KAFKA.bootstrapServers(),
                "reg_commits", Integer.MAX_VALUE, java.time.Duration.ofSeconds(3), IsolationLevel.READ_COMMITTED);
            final ConsumerRecord<byte[], byte[]> lastCommit = commits.get(commits.size() - 1);
            assertEquals(commitId, WireFormat.schemaId(lastCommit.value()));
            assertEquals("COMMITTED", genericRead(registry, lastCommit.value()).get("outcome").toString());

        }
        // when it runs again with the registry and batched acknowledgement events
        try (AuditHarness batched = new AuditHarness(KAFKA.bootstrapServers(), "reg", ProcessingGuarantee.EXACTLY_ONCE_V2,
            stateDir, settings, TopologyFile.AckEvents.BATCHED)) {
            batched.start();
            batched.produce(List.of(TestRecord.of("k4", "after-4").header("sluice-user", "carol"),
                TestRecord.of("k5", "after-5").header("sluice-user", "carol")));
            assertEquals(5, batched.acks(5, AuditHarness.TIMEOUT).size());

            // then the batch schema is registered under a subject of its own, and the batches carry its id
            final SchemaRegistryClient registry = new SchemaRegistryClient(settings);
            final int batchId = registry.version("reg_acks-io.sluice.avro.AckEventBatch", "latest").id();
            final List<ConsumerRecord<byte[], byte[]>> acks = KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(),
                "reg_acks", AuditHarness.TIMEOUT, IsolationLevel.READ_COMMITTED);
            int carols = 0;
            for (final ConsumerRecord<byte[], byte[]> ack : acks) {
                if (WireFormat.looksFramed(ack.value()) && WireFormat.schemaId(ack.value()) == batchId) {
                    final GenericRecord batch = genericRead(registry, ack.value());
                    assertEquals("carol", batch.get("username").toString(), "a schema-aware consumer reads the batch");
                    carols += ((List<?>) batch.get("events")).size();
                }
            }
            assertEquals(2, carols, "carol's two events, in one batch or two");

            // and `sluice audit` reads the topic whole — single-object, framed, framed batches — through the registry
            final Path topology = Files.writeString(folder.resolve("topology.yaml"), """
                applicationId: reg
                auditTopics: {acks: reg_acks, commits: reg_commits}
                schemaRegistry: {url: "%s"}
                routes: [{ingress: reg.in, egress: reg.out}]
                """.formatted(REGISTRY.url()));
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int status = SluiceCommand.execute(new String[] {"audit", "acks", "-o", "json", "--topology",
                topology.toString(), "--bootstrap-servers", KAFKA.bootstrapServers()}, new PrintWriter(out, true),
                new PrintWriter(err, true));
            assertEquals(0, status, err.toString());
            final List<JsonNode> events = out.toString().lines().map(AuditRegistryIT::json).toList();
            assertEquals(List.of("alice", "bob", "bob", "carol", "carol"), events.stream()
                .map(event -> event.path("context").path("username").asText()).toList(), out + "\n" + err);
            assertTrue(err.toString().isEmpty(), err.toString());
            final StringWriter commitsOut = new StringWriter();
            assertEquals(0, SluiceCommand.execute(new String[] {"audit", "commits", "-o", "json", "--topology",
                topology.toString(), "--bootstrap-servers", KAFKA.bootstrapServers()}, new PrintWriter(commitsOut, true),
                new PrintWriter(err, true)), err.toString());
            assertTrue(commitsOut.toString().lines().count() >= 2, commitsOut.toString());
            assertTrue(err.toString().isEmpty(), err.toString());
        }
    }

    private static GenericRecord genericRead(final SchemaRegistryClient registry, final byte[] value) throws Exception {
        final Schema writer = new Schema.Parser().parse(registry.schemaById(WireFormat.schemaId(value)).schema());
        return (GenericRecord) new GenericDatumReader<>(writer).read(null, DecoderFactory.get()
            .binaryDecoder(value, WireFormat.HEADER_LENGTH, value.length - WireFormat.HEADER_LENGTH, null));
    }

    private static JsonNode json(final String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (final Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}

package io.sluice.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.TopologyFiles;

/**
 * A custom plugin written against the value view, on a real broker, in a chain with a plugin that still uses the
 * JSON tree ({@code jsonValue()}) and the built-in field masking: one record comes out with every plugin's change,
 * and a value that is not JSON is handled by each binding's {@code onError}, the failures attributed to the
 * interceptors whose hooks failed, the value quoted nowhere.
 */
@Timeout(300)
class ValueViewPluginIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static Path topologyFile;
    private static SluiceApp app;

    /**
     * A custom plugin as its author would write it: replaces every {@code items[*].sku} with a token, copies the
     * {@code region} field into a header, and names the value's format in another; all in one view pass.
     */
    static final class TokenizeSkusFactory implements InterceptorFactory {
        @Override
        public String type() {
            return "tokenize-skus";
        }

        @Override
        public String description() {
            return "replaces SKUs with tokens, and copies the region into a header";
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return new Interceptor() {
                private final ThreadLocal<SendRecord> current = new ThreadLocal<>();
                private final FieldEdits edits = FieldEdits.builder()
                    .read(FieldPath.parse("region"), field -> {
                        if (field.type() == FieldType.STRING) {
                            current.get().headers().add("x-region", field.text().getBytes(StandardCharsets.UTF_8));
                        }
                    })
                    .replace(FieldPath.parse("items[*].sku"), field ->
                        field.setString("tok:" + Integer.toHexString(field.text().hashCode())))
                    .build();

                @Override
                public void onSend(final SendRecord record) {
                    final ValueView value = record.valueView();
                    if (value.isTombstone()) {
                        return;
                    }
                    record.headers().add("x-value-format", value.format().getBytes(StandardCharsets.UTF_8));
                    current.set(record);
                    try {
                        value.apply(edits);
                    } finally {
                        current.remove();
                    }
                }
            };
        }
    }

    /** A custom plugin of before the view: it changes the JSON tree and hands it back. */
    static final class StampTreeFactory implements InterceptorFactory {
        @Override
        public String type() {
            return "stamp-tree";
        }

        @Override
        public String description() {
            return "adds \"stamped\": true to JSON objects";
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return new Interceptor() {
                @Override
                public void onSend(final SendRecord record) {
                    final JsonNode tree = record.jsonValue();
                    if (tree instanceof ObjectNode object) {
                        object.put("stamped", true);
                        record.jsonValue(object);
                    }
                }
            };
        }
    }

    @BeforeAll
    static void startSluiceWithTheCustomPlugins() throws Exception {
        KAFKA.createTopic("view.in", 1);
        topologyFile = Files.writeString(dir.resolve("topology.yaml"), """
            applicationId: view-its
            configTopic: vits_bindings
            auditTopics: {acks: vits_acks, commits: vits_commits}
            rejectedTopic: vits_rejected
            processingGuarantee: exactly_once_v2
            routes:
              - {ingress: view.in, egress: view.out}
            """);
        final TopologyFiles.Result read = TopologyFiles.read(topologyFile);
        assertTrue(read.isValid(), () -> read.problems().toString());
        final List<InterceptorFactory> factories = new ArrayList<>(PluginRegistry.load().factories());
        factories.add(new TokenizeSkusFactory());
        factories.add(new StampTreeFactory());
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        app = new SluiceApp(read.topology(), client, dir.resolve("state"), new PluginRegistry(factories)).start();
        assertTrue(app.awaitRunning(TIMEOUT), "Kafka Streams reached RUNNING");

        publish(new Binding(new BindingId("tokenize", BindingScope.GLOBAL), "tokenize-skus", 10, null, OnError.SKIP,
                Json.object()),
            new Binding(new BindingId("stamp", BindingScope.GLOBAL), "stamp-tree", 20, null, OnError.SKIP, Json.object()),
            new Binding(new BindingId("mask-card", BindingScope.GLOBAL), "field-masking", 30, null, null,
                Json.MAPPER.readTree("{\"fields\": [{\"path\": \"card.number\", \"strategy\": \"LAST_N\", \"n\": 4}]}")));
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (app.resolver().stats().bindings() != 3) {
            assertTrue(System.nanoTime() < deadline, () -> "the app has " + app.resolver().stats().bindings()
                + " bindings, not 3");
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theCustomPluginTheTreePluginAndMaskingEachChangeTheRecordOnce() throws Exception {
        // given: tokenize-skus (the view), stamp-tree (jsonValue), field-masking, in that order

        // when
        final RecordMetadata ingress = KAFKA.produce("view.in", TestRecord.of("order-1",
            "{\"region\": \"eu\", \"card\": {\"number\": \"4111111111111234\"}, \"items\": [{\"sku\": \"A-1\"}, {\"sku\": \"B-2\"}]}")
            .header("sluice-user", "alice")).get(0);

        // then: one value with all three changes, in Jackson's compact form
        final ConsumerRecord<String, String> out = one("view.out", "order-1");
        assertEquals("{\"region\":\"eu\",\"card\":{\"number\":\"************1234\"},\"items\":[{\"sku\":\"tok:"
            + Integer.toHexString("A-1".hashCode()) + "\"},{\"sku\":\"tok:" + Integer.toHexString("B-2".hashCode())
            + "\"}],\"stamped\":true}", out.value());
        assertEquals("eu", KafkaClients.header(out, "x-region"));
        assertEquals("json", KafkaClients.header(out, "x-value-format"));
        final JsonNode event = ack(ingress);
        assertEquals("ACKNOWLEDGED", event.get("outcome").asText());
        assertEquals(0, event.get("interceptorErrors").size(), event::toString);
    }

    @Test
    void aValueThatIsNotJsonIsHandledByEachBindingsOnErrorAndAttributedToIt() throws Exception {
        // given: the same chain; tokenize and stamp skip on error, masking rejects (its default)
        final String notJson = "card 4111111111119999 {";

        // when
        final RecordMetadata ingress = KAFKA.produce("view.in", TestRecord.of("order-bad", notJson)
            .header("sluice-user", "bob")).get(0);

        // then: the two skipping plugins' failures are theirs, the rejection is masking's
        final JsonNode event = ack(ingress);
        assertEquals("REJECTED", event.get("outcome").asText(), event::toString);
        assertEquals("mask-card", event.at("/error/interceptor").asText());
        assertEquals(List.of("tokenize", "stamp", "mask-card"),
            event.get("interceptorErrors").findValuesAsText("interceptor"), event::toString);
        assertEquals("onSend", event.at("/interceptorErrors/0/hook").asText());
        assertTrue(event.at("/interceptorErrors/0/message").asText().contains("not JSON"), event::toString);
        assertFalse(event.toString().contains("4111111111119999"), event::toString);

        // and: the record is on the rejected topic as it came
        final ConsumerRecord<String, String> rejected = one("vits_rejected", "order-bad");
        assertEquals(notJson, rejected.value());
        assertEquals("mask-card", KafkaClients.header(rejected, "sluice-rejected-by"));
        assertFalse(KafkaClients.header(rejected, "sluice-reason").contains("4111111111119999"));
    }

    private static void publish(final Binding... bindings) {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (final Binding binding : bindings) {
                producer.send(new ProducerRecord<>("vits_bindings", BindingRecords.key(binding.id()),
                    BindingRecords.value(binding, Provenance.UNKNOWN)));
            }
        }
    }

    /** The one record with that key on a topic (read_committed), once it is there. */
    private static ConsumerRecord<String, String> one(final String topic, final String key) throws InterruptedException {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            final List<ConsumerRecord<String, String>> matching = KAFKA.consume(topic, Integer.MAX_VALUE,
                Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED).stream().filter(r -> key.equals(r.key())).toList();
            if (!matching.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(1, matching.size(), () -> "one record with key " + key + " on " + topic);
                return matching.get(0);
            }
            Thread.sleep(200);
        }
    }

    /** The acknowledgement event of an ingress record, as {@code sluice audit acks -o json} prints it. */
    private static JsonNode ack(final RecordMetadata ingress) throws Exception {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            final List<JsonNode> matching = new ArrayList<>();
            for (final String line : sluice("audit", "acks", "--topology", topologyFile.toString(), "-o", "json").split("\n")) {
                if (!line.isBlank()) {
                    final JsonNode event = Json.MAPPER.readTree(line);
                    if (ingress.offset() == event.at("/ingress/offset").asLong()
                        && ingress.topic().equals(event.at("/ingress/topic").asText())) {
                        matching.add(event);
                    }
                }
            }
            if (!matching.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(1, matching.size(), "one acknowledgement event for " + ingress);
                return matching.get(0);
            }
            Thread.sleep(500);
        }
    }

    private static String sluice(final String... args) {
        final String[] withServers = Stream.concat(Stream.of(args),
            Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return out.toString();
    }
}

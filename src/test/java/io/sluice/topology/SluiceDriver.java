package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.common.Document;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.resolution.IndexedResolver;

/**
 * Sluice's real topology ({@link SluiceTopology#build}) under a {@link TopologyTestDriver}, with the wiring
 * {@code sluice run} would give it (resolver, interceptor instances, config status) and
 * {@link Acknowledgements#immediate}. Bindings are published as {@code bindings apply} publishes them: YAML
 * resources, validated, then one Avro record each on the config topic. Close it (try-with-resources).
 */
final class SluiceDriver implements AutoCloseable {

    /** The timestamp of every record tests pipe in, and so of every record Sluice writes. */
    static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    /** Like {@code topologies/default.yaml}, at least once: a fixed, a pattern and a header route. */
    static final String DEFAULT_TOPOLOGY = """
        applicationId: sluice-test
        configTopic: _sluice_bindings
        rejectedTopic: _sluice_rejected
        processingGuarantee: at_least_once
        routes:
          - ingress: orders.in
            egress: orders.out
            vcluster: payments
          - ingress: "tenant-(?<vcluster>[a-z0-9-]+)\\\\.in"
            egress: "tenant-${vcluster}.out"
          - ingress: shared.in
            egress: shared.out
            vclusterFrom: header
        """;

    private static final Provenance PROVENANCE = new Provenance("test", T0, "bindings.yaml");

    private final PluginRegistry plugins;
    private final TopologyFile file;
    private final ConfigStatus status = new ConfigStatus();
    private final ChainRunner runner;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> config;
    private final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();

    /**
     * @param acknowledgements what the topology reports record outcomes to, given the runner (tests that hold
     *                         acknowledgements back pass their own; the others get {@link Acknowledgements#immediate})
     */
    SluiceDriver(final Path folder, final String topologyYaml, final PluginRegistry plugins,
                 final Function<ChainRunner, Acknowledgements> acknowledgements) {
        this.plugins = plugins;
        this.file = readTopology(folder, topologyYaml);
        final IndexedResolver resolver = new IndexedResolver();
        this.runner = new ChainRunner(new InterceptorInstances(plugins, new HookGuard(), resolver::inForce));
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, file.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, file.processingGuarantee().streamsValue());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, folder.resolve("state").toString());
        // What Kafka recommends (and will default to in 5.0); without it every driver logs a warning.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.driver = new TopologyTestDriver(SluiceTopology.build(new Routing(file), new BindingRecords(plugins),
            resolver, runner, acknowledgements.apply(runner), status), properties);
        this.config = driver.createInputTopic(file.configTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    SluiceDriver(final Path folder, final String topologyYaml, final PluginRegistry plugins) {
        this(folder, topologyYaml, plugins, Acknowledgements::immediate);
    }

    SluiceDriver(final Path folder, final PluginRegistry plugins) {
        this(folder, DEFAULT_TOPOLOGY, plugins);
    }

    private static TopologyFile readTopology(final Path folder, final String yaml) {
        final Path path = folder.resolve("topology.yaml");
        try {
            Files.writeString(path, yaml);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final TopologyFiles.Result read = TopologyFiles.read(path);
        if (!read.isValid()) {
            throw new IllegalArgumentException("invalid test topology: " + read.problems());
        }
        return read.topology();
    }

    // ---- config topic

    /** Validates binding resources (YAML, {@code ---} between them) like {@code bindings apply}, then publishes them. */
    void apply(final String yaml) {
        final BindingResources.Result result = BindingResources.validate(documents(yaml), plugins);
        if (!result.isValid()) {
            throw new IllegalArgumentException("invalid test bindings: " + result.problems());
        }
        for (final Binding binding : result.bindings()) {
            publish(BindingRecords.key(binding.id()), BindingRecords.value(binding, PROVENANCE));
        }
    }

    /** Publishes a tombstone, like {@code bindings delete}. */
    void delete(final String name, final BindingScope scope) {
        publish(BindingRecords.key(new BindingId(name, scope)), null);
    }

    /** Publishes a raw config record, as another tool might. */
    void publish(final byte[] key, final byte[] value) {
        config.pipeInput(key, value, T0);
    }

    private static List<Document> documents(final String yaml) {
        final List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> values = Json.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (values.hasNextValue()) {
                documents.add(new Document(Path.of("bindings.yaml"), documents.size() + 1, values.nextValue()));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    // ---- records

    void send(final String topic, final TestRecord<String, String> record) {
        inputs.computeIfAbsent(topic,
            name -> driver.createInputTopic(name, new StringSerializer(), new StringSerializer())).pipeInput(record);
    }

    /** The records written to a topic since the last read of it. */
    List<TestRecord<String, String>> read(final String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer()).readRecordsToList();
    }

    List<TestRecord<String, String>> rejected() {
        return read(file.rejectedTopic());
    }

    ConfigStatus status() {
        return status;
    }

    ChainRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        driver.close();
    }

    // ---- building records

    /** A record at {@link #T0} with headers given as name, value, name, value... (UTF-8). */
    static TestRecord<String, String> record(final String key, final String value, final String... headers) {
        return new TestRecord<>(key, value, headers(headers), T0);
    }

    static TestRecord<String, String> record(final String key, final String value, final Headers headers) {
        return new TestRecord<>(key, value, headers, T0);
    }

    /**
     * Asserts the records are equal, whole: key, value, headers in order, timestamp. On a difference the message
     * shows header values as text (hex when not UTF-8) rather than as byte arrays.
     */
    static void assertRecords(final List<TestRecord<String, String>> expected,
                              final List<TestRecord<String, String>> actual) {
        assertEquals(readable(expected), readable(actual));
        assertEquals(expected, actual);
    }

    private static List<String> readable(final List<TestRecord<String, String>> records) {
        return records.stream().map(record -> "key=" + record.key() + " value=" + record.value() + " headers="
            + Arrays.stream(record.headers().toArray()).map(header -> header.key() + ": " + readable(header.value()))
                .toList() + " time=" + record.getRecordTime()).toList();
    }

    private static String readable(final byte[] value) {
        if (value == null) {
            return "null";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (final CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(value);
        }
    }

    static Headers headers(final String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        final Headers headers = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}

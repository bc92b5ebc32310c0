package io.sluice.policytest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.test.TestRecord;

import io.sluice.audit.OfflineAudit;
import io.sluice.audit.RejectingProductionExceptionHandler;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.Provenance;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.chain.RecordOutcome;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.ClockAndSeed;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.Outcome;
import io.sluice.topology.ConfigStatus;
import io.sluice.topology.IdentityHeaders;
import io.sluice.topology.IdentitySignature;
import io.sluice.topology.RecordSizeLimits;
import io.sluice.topology.Routing;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopicRoute;
import io.sluice.topology.TopologyFile;

/**
 * Runs policy test cases offline, through the code {@code sluice run} runs: Sluice's topology
 * ({@link SluiceTopology#build}) under Kafka Streams' {@link TopologyTestDriver}, the bindings published to its
 * config topic as {@code bindings apply} publishes them (and read back through the same validating updater), the
 * record written to its ingress topic with the identity headers {@code sluice produce} writes. Every hook a record
 * sees runs: {@code onConsume}, {@code onSend}, {@code onAcknowledgement} with the outcome and the error the
 * auditing producer gives ({@link OfflineAudit}), {@code onCommit}, and {@code close}.
 *
 * <p>Each case runs on a topology of its own: no state (quota buckets, offsets) carries over from another case.
 * Instances get a clock that stands still and a fixed seed ({@link #CLOCK_AND_SEED}); a binding's own seed wins.
 * Offline, every topic has one partition, so egress coordinates are partition 0 and offsets counted from 0.
 */
public final class PolicyTestRunner {

    /** What interceptor instances see in tests: time stands still; chance is the same on every run. */
    public static final ClockAndSeed CLOCK_AND_SEED = new ClockAndSeed(() -> 0L, 0L);

    /**
     * The largest record a topic with Kafka's defaults takes: the producer's {@code max.request.size} (1 MiB, below
     * the broker's {@code max.message.bytes}). A larger record is FAILED and goes to the rejected topic, as under
     * {@code sluice run} on such topics.
     */
    static final RecordSizeLimits KAFKA_DEFAULT_LIMITS = topic -> 1024 * 1024;

    private static final Provenance PROVENANCE = new Provenance("sluice test", null, null);
    private static final ByteArraySerializer BYTES_OUT = new ByteArraySerializer();
    private static final ByteArrayDeserializer BYTES_IN = new ByteArrayDeserializer();

    /**
     * What became of one ingress record on one route.
     *
     * @param outcome its outcome, chain, violations: what its acknowledgement event says
     * @param topic   the topic its writes went to: the route's egress, or the rejected topic
     * @param written the records written there (more than one when duplicated)
     */
    public record Hop(RecordOutcome outcome, String topic, List<TestRecord<byte[], byte[]>> written) {
    }

    /**
     * A case's result: passed when {@code differences} is empty.
     *
     * @param hops      what became of the (last) record on each route it took, in order
     * @param ackEvents the hops' acknowledgement events, as {@code sluice audit acks -o json} prints them
     */
    public record CaseResult(PolicyTest test, PolicyTest.TestCase testCase, List<String> differences,
                             long nanos, List<Hop> hops, List<String> ackEvents) {

        public boolean passed() {
            return differences.isEmpty();
        }

        /** {@code test/case}. */
        public String label() {
            return test.name() + "/" + testCase.name();
        }
    }

    private final TopologyFile topology;
    private final Routing routing;
    private final List<Binding> bindings;
    private final PluginRegistry plugins;

    public PolicyTestRunner(final TopologyFile topology, final List<Binding> bindings, final PluginRegistry plugins) {
        this.topology = topology;
        this.routing = new Routing(topology);
        this.bindings = List.copyOf(bindings);
        this.plugins = plugins;
    }

    public List<CaseResult> run(final List<PolicyTest> tests) {
        final List<CaseResult> results = new ArrayList<>();
        for (final PolicyTest test : tests) {
            for (final PolicyTest.TestCase testCase : test.cases()) {
                results.add(run(test, testCase));
            }
        }
        return results;
    }

    public CaseResult run(final PolicyTest test, final PolicyTest.TestCase testCase) {
        final long started = System.nanoTime();
        final Given given = testCase.given();
        final IndexedResolver resolver = new IndexedResolver();
        final InterceptorInstances instances = new InterceptorInstances(plugins, new HookGuard(), resolver::inForce,
            CLOCK_AND_SEED);
        final ChainRunner runner = new ChainRunner(instances);
        final OfflineAudit audit = new OfflineAudit(routing, resolver, runner);
        final Path stateDir = tempDir();
        final Instant now = Instant.now();
        final List<Hop> hops = new ArrayList<>();
        final List<String> ackEvents = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(SluiceTopology.build(routing,
            new BindingRecords(plugins), resolver, runner, audit.acknowledgements(), new ConfigStatus(),
            KAFKA_DEFAULT_LIMITS),
            properties(stateDir), now)) {
            final TestInputTopic<byte[], byte[]> config =
                driver.createInputTopic(topology.configTopic(), BYTES_OUT, BYTES_OUT);
            for (final Binding binding : bindings) {
                config.pipeInput(BindingRecords.key(binding.id()), BindingRecords.value(binding, PROVENANCE), now);
            }
            final TestInputTopic<byte[], byte[]> ingress = driver.createInputTopic(given.topic(), BYTES_OUT, BYTES_OUT);
            final Map<String, Long> offsets = new HashMap<>();
            final long timestamp = given.timestamp() != null ? given.timestamp() : now.toEpochMilli();
            for (int offset = 0; offset < given.repeat(); offset++) {
                final TestRecord<byte[], byte[]> record = record(given, timestamp);
                audit.consumed(new ConsumerRecord<>(given.topic(), 0, offset, timestamp, TimestampType.CREATE_TIME,
                    size(record.key()), size(record.value()), record.key(), record.value(), record.headers(),
                    Optional.empty()));
                ingress.pipeInput(record);
                hops.clear();
                hops.addAll(collect(driver, audit, offsets));
                audit.committed(List.of(new CommittedOffset(given.topic(), 0, offset + 1L)));
            }
            for (final Hop hop : hops) {
                ackEvents.add(audit.ackEventJson(hop.outcome(), now));
            }
        } finally {
            instances.close();
            deleteQuietly(stateDir);
        }
        final List<String> differences = Expectations.differences(testCase.expect(), given.topic(), hops);
        return new CaseResult(test, testCase, differences, System.nanoTime() - started, List.copyOf(hops),
            List.copyOf(ackEvents));
    }

    /**
     * The records the topology processed for the last ingress record (the record itself and, for routes that read
     * another route's egress, each further hop), each acknowledged with the writes the driver took from it.
     */
    private List<Hop> collect(final TopologyTestDriver driver, final OfflineAudit audit,
                              final Map<String, Long> offsets) {
        final Map<String, Deque<TestRecord<byte[], byte[]>>> written = new HashMap<>();
        for (final String topic : driver.producedTopicNames()) {
            written.put(topic, new ArrayDeque<>(driver.createOutputTopic(topic, BYTES_IN, BYTES_IN).readRecordsToList()));
        }
        final List<Hop> hops = new ArrayList<>();
        for (final RecordOutcome outcome : audit.takeForwarded()) {
            final boolean egress = outcome.outcome() == Outcome.ACKNOWLEDGED;
            final String topic = egress ? routing.route(outcome.context().topic()).map(TopicRoute::egress)
                .orElse(topology.rejectedTopic()) : topology.rejectedTopic();
            final Deque<TestRecord<byte[], byte[]>> queue = written.getOrDefault(topic, new ArrayDeque<>());
            // No two hops of one record write to one egress topic (that would be a cycle, which is refused);
            // every rejected hop writes one record to the rejected topic, in processing order.
            final List<TestRecord<byte[], byte[]>> mine = new ArrayList<>();
            while (!queue.isEmpty() && (egress || mine.isEmpty())) {
                mine.add(queue.poll());
            }
            for (int i = 0; i < mine.size(); i++) {
                audit.written(outcome, topic, 0, offsets.merge(topic, 1L, Long::sum) - 1);
            }
            audit.acknowledge(outcome);
            hops.add(new Hop(outcome, topic, List.copyOf(mine)));
        }
        return hops;
    }

    /** The record as {@code sluice produce} writes it: identity headers, then the signature over them. */
    static TestRecord<byte[], byte[]> record(final Given given, final long timestamp) {
        final Headers headers = new RecordHeaders();
        addHeader(headers, IdentityHeaders.USER, given.user());
        addHeader(headers, IdentityHeaders.GROUPS, given.groups() == null ? null : String.join(",", given.groups()));
        addHeader(headers, IdentityHeaders.VCLUSTER, given.vcluster());
        given.headers().forEach((name, value) -> addHeader(headers, name, value));
        if (given.signKeyFile() != null) {
            // Read as produce reads it (validation checked it is readable).
            IdentitySignature.fromFile(given.signKeyFile()).sign(headers);
        }
        return new TestRecord<>(given.key() == null ? null : utf8(given.key()), value(given), headers, timestamp);
    }

    private static byte[] value(final Given given) {
        if (given.value() == null) {
            return null;
        }
        return given.value().isTextual() ? utf8(given.value().textValue()) : utf8(Json.line(given.value()));
    }

    private Properties properties(final Path stateDir) {
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, topology.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, topology.processingGuarantee().streamsValue());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As sluice run sets them: a bug of ours in processing sends the record to the rejected topic.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            LogAndContinueProcessingExceptionHandler.class.getName());
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topology.rejectedTopic());
        properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            RejectingProductionExceptionHandler.class.getName());
        return properties;
    }

    private static void addHeader(final Headers headers, final String name, final String value) {
        if (value != null) {
            headers.add(name, utf8(value));
        }
    }

    private static int size(final byte[] bytes) {
        return bytes == null ? -1 : bytes.length;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-test-");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the test topology", e);
        }
    }

    private static void deleteQuietly(final Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}

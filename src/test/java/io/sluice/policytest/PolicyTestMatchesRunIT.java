package io.sluice.policytest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bindings.BindingResources;
import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.reliability.SluiceProcess;
import io.sluice.testkit.KafkaCluster;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFiles;

/**
 * What a passing policy test promises: the same record, written to a real broker and run by {@code ./sluice run}
 * with the same bindings, comes out on egress with the same value and the same headers (the trace id aside,
 * which both give a fresh UUID).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PolicyTestMatchesRunIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final String BINDINGS = """
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: add-trace-id}
        spec: {plugin: header-injection, priority: 1, config: {headers: {x-trace-id: "{{uuid}}", x-sent-by: "{{user}}",
               x-origin: "{{vcluster}}/{{topic}}"}}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: mask, scope: {group: analysts}}
        spec: {plugin: field-masking, priority: 10, config: {fields: [{path: card.number, strategy: LAST_N, n: 4},
               {path: "items[*].note", strategy: ALL}]}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: strip-internal}
        spec: {plugin: header-removal, priority: 20, config: {pattern: "x-internal-.*"}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: policy, scope: {vcluster: payments}}
        spec: {plugin: produce-policy, priority: 30, config: {requiredHeaders: [x-team], action: INFO}}
        """;

    private static final String TESTS = """
        apiVersion: sluice/v1
        kind: InterceptorTest
        metadata: {name: same-as-run}
        spec:
          cases:
            - name: an analyst's order comes out masked and stamped
              given:
                topic: orders.in
                user: alice
                groups: [analysts]
                key: order-1
                headers: {x-internal-debug: "on", x-request: r-1}
                value: {id: 1, card: {number: "4111111111111111"}, items: [{note: secret}, {note: other}]}
              expect:
                outcome: ACKNOWLEDGED
                chain: [add-trace-id, mask, strip-internal, policy]
                egressTopic: orders.out
                key: order-1
                value: {id: 1, card: {number: "************1111"}, items: [{note: "******"}, {note: "*****"}]}
                headers: {x-sent-by: alice, x-origin: payments/orders.in, x-request: r-1}
                headersMatching: {x-trace-id: "[0-9a-f-]{36}"}
                absentHeaders: [x-internal-debug]
                violations: ["no 'x-team' header"]
        """;

    @TempDir
    Path dir;

    @Test
    void aRecordThatPassesItsPolicyTestComesOutOfSluiceRunTheSame() throws Exception {
        // given: bindings, a topology and a test that passes offline
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), BINDINGS);
        final Path tests = Files.writeString(dir.resolve("tests.yaml"), TESTS);
        final Path topology = Files.writeString(dir.resolve("topology.yaml"), """
            applicationId: policy-test-it
            routes:
              - ingress: orders.in
                egress: orders.out
                vcluster: payments
            """);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(new String[] {"test", "-f", bindings.toString(), "--topology",
            topology.toString(), tests.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, out + "\n" + err);
        assertEquals(List.of("PASS same-as-run/an analyst's order comes out masked and stamped", "1 passed, 0 failed"),
            out.toString().lines().toList());
        final PolicyTestRunner.Hop offline = offlineHop(bindings, topology, tests);

        // when: the same bindings are applied to a real broker, ./sluice run runs, and the same record is written
        KAFKA.createTopic("orders.in", 1);
        final StringWriter applyErr = new StringWriter();
        assertEquals(0, SluiceCommand.execute(new String[] {"bindings", "apply", "-f", bindings.toString(),
            "--bootstrap-servers", KAFKA.bootstrapServers()}, new PrintWriter(new StringWriter()),
            new PrintWriter(applyErr)), applyErr::toString);
        final ConsumerRecord<byte[], byte[]> online;
        try (SluiceProcess run = SluiceProcess.start(dir.resolve("run.log"), "run", "--bootstrap-servers",
            KAFKA.bootstrapServers(), "--topology", topology.toString(), "--data-dir", dir.resolve("data").toString())) {
            write(readCase(topology, tests).given());
            online = KAFKA.consumeBytes("orders.out", 1, Duration.ofSeconds(90), IsolationLevel.READ_COMMITTED).get(0);
            assertEquals(0, run.stop(), "sluice run stops cleanly");
        }

        // then: the same key, value and headers (names in order; values too, but the fresh trace ids)
        final TestRecord<byte[], byte[]> expected = offline.written().get(0);
        assertEquals(text(expected.key()), text(online.key()));
        assertEquals(Json.MAPPER.readTree(expected.value()), Json.MAPPER.readTree(online.value()));
        assertEquals(headers(expected.headers(), true), headers(online.headers(), true));
        assertEquals(headers(expected.headers(), false), headers(online.headers(), false));
        assertTrue(text(online.headers().lastHeader("x-trace-id").value()).matches("[0-9a-f-]{36}"));
    }

    /** The case's first hop as the offline runner saw it. */
    private static PolicyTestRunner.Hop offlineHop(final Path bindings, final Path topology, final Path tests) {
        final PluginRegistry plugins = PluginRegistry.load();
        final PolicyTestFiles.Result parsed = readTests(topology, tests);
        final PolicyTestRunner.CaseResult result = new PolicyTestRunner(TopologyFiles.read(topology).topology(),
            BindingResources.read(bindings, plugins).bindings(), plugins)
            .run(parsed.tests().get(0), parsed.tests().get(0).cases().get(0));
        assertTrue(result.passed(), result.differences()::toString);
        return result.hops().get(0);
    }

    private static PolicyTest.TestCase readCase(final Path topology, final Path tests) {
        return readTests(topology, tests).tests().get(0).cases().get(0);
    }

    private static PolicyTestFiles.Result readTests(final Path topology, final Path tests) {
        final PolicyTestFiles.Result parsed = new PolicyTestFiles(new Routing(TopologyFiles.read(topology).topology()))
            .read(List.of(tests));
        assertTrue(parsed.isValid(), parsed.problems()::toString);
        return parsed;
    }

    /** Writes the case's record to the broker as the runner builds it (identity headers as sluice produce sets them). */
    private static void write(final Given given) throws Exception {
        final TestRecord<byte[], byte[]> record = PolicyTestRunner.record(given, System.currentTimeMillis());
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(given.topic(), null, record.timestamp(), record.key(), record.value(),
                record.headers())).get(30, TimeUnit.SECONDS);
        }
    }

    /** Header names in order, with their values unless {@code namesOnly}; the trace id's value left out. */
    private static List<String> headers(final Headers headers, final boolean namesOnly) {
        return Arrays.stream(headers.toArray())
            .map(header -> namesOnly || header.key().equals("x-trace-id") ? header.key()
                : header.key() + "=" + text(header.value()))
            .toList();
    }

    private static String text(final byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}

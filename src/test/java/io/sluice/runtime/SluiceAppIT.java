package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.SluiceCommand;
import io.sluice.plugins.PluginRegistry;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.TopologyFiles;

/**
 * Sluice on a real broker: bindings published with {@code sluice bindings apply} reach the running application
 * through the config topic, and a plain consumer reads the chain's result on the egress topic.
 */
class SluiceAppIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path dir;

    private SluiceApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void appliesPublishedBindingsToRecordsAndFollowsChanges() throws Exception {
        // given: a running Sluice with one route, and bindings published by the command line
        KAFKA.createTopic("orders.in", 2);
        app = startApp("""
            applicationId: sluice-app-it
            processingGuarantee: exactly_once_v2
            routes:
              - ingress: orders.in
                egress: orders.out
                vcluster: payments
            """);
        final Path bindings = write("bindings.yaml", """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp}
            spec:
              plugin: header-injection
              priority: 10
              config: {headers: {x-stamp: "global {{vcluster}}"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp, scope: {vcluster: payments, username: alice}}
            spec:
              plugin: header-injection
              priority: 10
              config: {headers: {x-stamp: "alice {{user}}"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: by-group, scope: {group: analysts}}
            spec:
              plugin: header-injection
              priority: 20
              config: {headers: {x-group: "{{groups}}"}}
            """);
        assertEquals(0, sluice("bindings", "apply", "-f", bindings.toString()));
        awaitTrue(() -> app.resolver().stats().bindings() == 3, "the app has the 3 bindings");

        // when: alice (an analyst) and an anonymous client write to the ingress topic
        KAFKA.produce("orders.in",
            TestRecord.of("k1", "{\"id\":1}").header("sluice-user", "alice").header("sluice-groups", "analysts"),
            TestRecord.of("k2", "{\"id\":2}"));

        // then: a plain read_committed consumer sees each record once, with its own chain applied
        final List<ConsumerRecord<String, String>> egress =
            KAFKA.consume("orders.out", 2, Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED);
        final ConsumerRecord<String, String> alice = byKey(egress, "k1");
        final ConsumerRecord<String, String> anonymous = byKey(egress, "k2");
        assertEquals("{\"id\":1}", alice.value());
        assertEquals("alice alice", KafkaClients.header(alice, "x-stamp"));
        assertEquals("analysts", KafkaClients.header(alice, "x-group"));
        assertEquals("global payments", KafkaClients.header(anonymous, "x-stamp"));
        assertNull(KafkaClients.header(anonymous, "x-group"));
        assertEquals(2, KAFKA.awaitTopic("orders.out", Duration.ofSeconds(10)).partitions().size(),
            "the egress topic has its ingress topic's partition count");

        // when: alice's override is deleted while the app runs
        assertEquals(0, sluice("bindings", "delete", "stamp", "--vcluster", "payments", "--username", "alice"));
        awaitTrue(() -> app.resolver().stats().bindings() == 2, "the app dropped the deleted binding");
        KAFKA.produce("orders.in", TestRecord.of("k3", "{\"id\":3}").header("sluice-user", "alice"));

        // then: alice falls back to the global binding, without a restart
        final List<ConsumerRecord<String, String>> after =
            KAFKA.consume("orders.out", 3, Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED);
        assertEquals("global payments", KafkaClients.header(byKey(after, "k3"), "x-stamp"));

        // and: the Prometheus endpoint shows records per outcome, interceptors, config and Kafka Streams' metrics
        try (MetricsEndpoint metrics = MetricsEndpoint.start(app, 0)) {
            final String scrape = new String(java.net.URI.create("http://localhost:" + metrics.port() + "/metrics")
                .toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(scrape.contains("sluice_records_total{outcome=\"ACKNOWLEDGED\"} 3.0"), scrape);
            assertTrue(scrape.contains("sluice_bindings 2.0"), scrape);
            assertTrue(scrape.contains("sluice_config_records_applied_total 3.0"), scrape);
            assertTrue(scrape.contains("sluice_config_records_deleted_total 1.0"), scrape);
            assertTrue(scrape.contains("sluice_interceptor_calls_total{interceptor=\"stamp\"}"), scrape);
            assertTrue(scrape.contains("kafka_stream_"), "Kafka Streams' own metrics are there");
        }
    }

    private SluiceApp startApp(final String topologyYaml) throws Exception {
        final TopologyFiles.Result topology = TopologyFiles.read(write("topology.yaml", topologyYaml));
        assertTrue(topology.isValid(), () -> topology.problems().toString());
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        final SluiceApp started = new SluiceApp(topology.topology(), client, dir.resolve("state"),
            PluginRegistry.load()).start();
        assertTrue(started.awaitRunning(Duration.ofSeconds(60)), "Kafka Streams reached RUNNING");
        return started;
    }

    private int sluice(final String... args) {
        final String[] withServers = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
            java.util.stream.Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return status;
    }

    private Path write(final String name, final String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static ConsumerRecord<String, String> byKey(final List<ConsumerRecord<String, String>> records,
                                                        final String key) {
        final List<ConsumerRecord<String, String>> matching = records.stream()
            .filter(record -> key.equals(record.key())).toList();
        assertEquals(1, matching.size(), () -> "exactly one record with key " + key + " in " + records);
        return matching.get(0);
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) {
        org.awaitility.Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(condition::getAsBoolean);
    }
}

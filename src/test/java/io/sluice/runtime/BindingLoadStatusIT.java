package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.TopologyFiles;

/**
 * A binding whose key file exists where {@code bindings apply} runs but not on the instance: apply accepts it (it
 * checks the config's shape), the instance cannot create the interceptor, rejects its records with the reason (field
 * encryption fails closed), and {@code bindings list} shows the binding as not loadable on that instance — until the
 * file is there and the binding is applied again.
 */
@Timeout(240)
class BindingLoadStatusIT {

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
    void anInstanceThatCannotLoadABindingRejectsItsRecordsAndSaysSoInBindingsList() throws Exception {
        // given: a running Sluice, and an encryption binding whose key file is missing on this instance
        KAFKA.createTopic("cards.in", 1);
        app = startApp();
        final Path keyFile = dir.resolve("missing.key");
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: encrypt-card}
            spec: {plugin: field-encryption, priority: 1, config: {fields: [card], keyId: k1, keyFile: '%s'}}
            """.formatted(keyFile));
        assertEquals("", sluice("bindings", "apply", "-f", bindings.toString()).err(), "apply checks the shape only");
        await(() -> app.resolver().stats().bindings() == 1 ? "" : null, "the app has the binding");

        // when: a record arrives
        KAFKA.produce("cards.in", TestRecord.of("k1", "{\"card\": \"4111111111111111\"}"));

        // then: it is rejected with the reason, never written in plaintext
        final List<ConsumerRecord<String, String>> rejected =
            KAFKA.consume(app.topology().rejectedTopic(), 1, Duration.ofSeconds(90), IsolationLevel.READ_COMMITTED);
        final String reason = KafkaClients.header(rejected.get(0), "sluice-reason");
        assertEquals("plugin 'field-encryption' could not create an instance: keyFile: cannot read '" + keyFile
            + "': no such file", reason);
        assertEquals("encrypt-card", KafkaClients.header(rejected.get(0), "sluice-rejected-by"));
        assertTrue(app.hookGuard().count("encrypt-card") >= 1, "the failure is counted");
        assertEquals(List.of(reason), List.copyOf(app.runner().instances().creationFailures().values()));

        // and: bindings list shows it as not loadable on this instance
        final JsonNode listed = await(() -> {
            final JsonNode line = Json.MAPPER.readTree(sluice("bindings", "list", "-o", "json").out().lines()
                .findFirst().orElse("{}"));
            return line.has("notLoadableOn") ? line : null;
        }, "bindings list reports the instance");
        assertEquals("valid", listed.get("status").asText());
        assertEquals(1, listed.get("notLoadableOn").size());
        assertEquals(reason, listed.get("notLoadableOn").get(0).get("reason").asText());
        assertTrue(listed.get("notLoadableOn").get(0).get("instance").asText().endsWith(":" + ProcessHandle.current().pid()));
        final String table = sluice("bindings", "list").out();
        assertTrue(table.contains("not loadable") && table.contains("no such file"), table);

        // when: the key is put in place and the binding applied again (a new version)
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]));
        Files.writeString(bindings, Files.readString(bindings).replace("priority: 1", "priority: 2"));
        assertEquals("", sluice("bindings", "apply", "-f", bindings.toString()).err());
        await(() -> app.configStatus().appliedCount() == 2 ? "" : null, "the app has the new version");
        KAFKA.produce("cards.in", TestRecord.of("k2", "{\"card\": \"4111111111111111\"}"));

        // then: the record is encrypted, and the report is gone
        final List<ConsumerRecord<String, String>> egress =
            KAFKA.consume("cards.out", 1, Duration.ofSeconds(90), IsolationLevel.READ_COMMITTED);
        assertFalse(egress.get(0).value().contains("4111111111111111"), egress.get(0).value());
        assertEquals("k1", KafkaClients.header(egress.get(0), "sluice-key-id"));
        await(() -> sluice("bindings", "list", "-o", "json").out().contains("notLoadableOn") ? null : "",
            "bindings list no longer reports the binding");
        assertTrue(app.runner().instances().creationFailures().isEmpty());
        assertFalse(app.runner().instances().creationFailures()
            .containsKey(new BindingId("encrypt-card", BindingScope.GLOBAL)));
    }

    private SluiceApp startApp() throws Exception {
        final TopologyFiles.Result topology = TopologyFiles.read(Files.writeString(dir.resolve("topology.yaml"), """
            applicationId: sluice-load-it
            processingGuarantee: exactly_once_v2
            routes:
              - ingress: cards.in
                egress: cards.out
            """));
        assertTrue(topology.isValid(), () -> topology.problems().toString());
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        final SluiceApp started = new SluiceApp(topology.topology(), client, dir.resolve("state"),
            PluginRegistry.load()).start();
        assertTrue(started.awaitRunning(Duration.ofSeconds(90)), "Kafka Streams reached RUNNING");
        return started;
    }

    private record Run(int status, String out, String err) {
    }

    private static Run sluice(final String... args) {
        final String[] withServers = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
            java.util.stream.Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return new Run(status, out.toString(), err.toString());
    }

    /** Polls until {@code value} gives non-null; fails naming what it waited for. */
    private static <T> T await(final ThrowingSupplier<T> value, final String what) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            final T found = value.get();
            if (found != null) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting until " + what);
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}

package io.sluice.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.plugins.PluginJars;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;

/**
 * A custom plugin as a user ships it: a jar built now, dropped into a plugin folder, listed by {@code ./sluice
 * plugins}, validated by {@code ./sluice bindings apply} and run by {@code ./sluice run} on its embedded broker.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PluginPathIT {

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aJarInThePluginFolderIsListedAppliedAndRunsOnEveryRecord() throws Exception {
        // given: the plugin's jar in a folder of its own, and a binding that uses it
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        final Path jar = PluginJars.stampPlugin(plugins.resolve("stamp-1.0.jar"), "com.example.stamp", "stamp");
        final Path bindings = Files.writeString(dir.resolve("stamp.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp-it}
            spec: {plugin: stamp, priority: 1, config: {value: stamped}}
            """);

        // when: listed through $SLUICE_PLUGIN_PATH
        final Result listed = sluice(Map.of(PluginPathOptions.PLUGIN_PATH_ENV, plugins.toString()), "plugins",
            "-o", "json");

        // then
        assertEquals(0, listed.status, listed.err);
        final JsonNode stamp = listed.out.lines().map(PluginPathIT::parse)
            .filter(node -> node.get("type").asText().equals("stamp")).findFirst()
            .orElseThrow(() -> new AssertionError("no plugin 'stamp' in: " + listed.out));
        assertEquals(jar.toString(), stamp.get("source").asText());

        // when: run on the embedded broker, the binding applied, a record written
        final int port = FreePorts.freePortPair();
        final String bootstrap = "localhost:" + port;
        start("run", "--broker-port", Integer.toString(port), "--data-dir", dir.resolve("data").toString(),
            "--plugin-path", plugins.toString());
        final Result apply = sluice(Map.of(), "bindings", "apply", "-f", bindings.toString(),
            "--plugin-path", plugins.toString(), "--bootstrap-servers", bootstrap);
        assertEquals(0, apply.status, apply.err);
        assertEquals(List.of("applied: stamp-it@global", "1 binding(s) published to _sluice_bindings"), apply.out.lines().toList());
        final Result produce = sluiceWithInput("{\"id\": 1}\n", "produce", "--topic", "orders.in", "--user", "alice",
            "--bootstrap-servers", bootstrap);
        assertEquals(0, produce.status, produce.err);

        // then: the egress record carries the plugin's header, and its ack event names the plugin in the chain
        final List<ConsumerRecord<String, String>> egress = KafkaClients.consume(bootstrap, "orders.out", 1,
            Duration.ofSeconds(120), IsolationLevel.READ_COMMITTED);
        assertEquals(1, egress.size(), "one record on orders.out within 120 s");
        assertEquals("stamped", KafkaClients.header(egress.get(0), "x-stamp"));
        final JsonNode ack = await("the ack event of the record").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> ackEvent(bootstrap), node -> node != null);
        assertEquals("ACKNOWLEDGED", ack.get("outcome").asText(), ack.toString());
        assertEquals("stamp", ack.at("/chain/0/plugin").asText(), ack.toString());
        assertEquals(1, ack.get("chain").size(), ack.toString());
    }

    private JsonNode ackEvent(final String bootstrap) throws Exception {
        final Result acks = sluice(Map.of(), "audit", "acks", "-o", "json", "--bootstrap-servers", bootstrap);
        if (acks.status != 0 || acks.out.isBlank()) {
            return null;
        }
        final List<String> lines = acks.out.lines().toList();
        assertEquals(1, lines.size(), acks.out);
        return parse(lines.get(0));
    }

    private static JsonNode parse(final String line) {
        try {
            return Json.parse(line);
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result sluiceWithInput(final String input, final String... args) throws Exception {
        final Process process = launch(Map.of(), ProcessBuilder.Redirect.PIPE, args);
        try (java.io.OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        return finish(process, args);
    }

    private Result sluice(final Map<String, String> environment, final String... args) throws Exception {
        final Process process = launch(environment, ProcessBuilder.Redirect.PIPE, args);
        process.getOutputStream().close();
        return finish(process, args);
    }

    private static Result finish(final Process process, final String... args) throws Exception {
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        final String out = read(process.getInputStream());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sluice " + String.join(" ", args) + " finished");
        return new Result(process.exitValue(), out, err.join());
    }

    /** Starts {@code ./sluice args} and returns once it printed {@code ready:}; its stderr goes to a log file. */
    private void start(final String... args) throws Exception {
        final Path log = dir.resolve("sluice-run.log");
        final Process process = launch(Map.of(), ProcessBuilder.Redirect.appendTo(log.toFile()), args);
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ready:")) {
                        return line;
                    }
                }
                return null;
            } catch (final IOException e) {
                return null;
            }
        });
        final String line = ready.get(120, TimeUnit.SECONDS);
        assertTrue(line != null, "sluice " + String.join(" ", args) + " printed ready: (log: "
            + Files.readString(log) + ")");
    }

    private Process launch(final Map<String, String> environment, final ProcessBuilder.Redirect stderr,
                           final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of("./sluice"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr);
        builder.environment().remove("SLUICE_BOOTSTRAP_SERVERS");
        builder.environment().remove(PluginPathOptions.PLUGIN_PATH_ENV);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String read(final java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            return "";
        }
    }
}

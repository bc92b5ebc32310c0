package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testkit.FreePorts;

/** {@code ./sluice run} as a user runs it: a real process on its embedded broker, stopped with signals. */
class SluiceProcessIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void runsOnItsEmbeddedBrokerStopsCleanlyAndKeepsBindingsAcrossRestarts() throws Exception {
        // given: a first start on an empty data folder
        final int port = FreePorts.freePortPair();
        final Running first = start("run", "--broker-port", Integer.toString(port), "--data-dir", dataDir.toString());
        System.out.printf("first start to ready: %d ms%n", first.readyMillis);
        assertTrue(first.readyLine.startsWith("ready: application 'sluice' on localhost:" + port), first.readyLine);
        assertTrue(first.readyLine.contains("0 binding(s)"), first.readyLine);

        // when: bindings are applied, a record flows through, then Ctrl-C
        final Result apply = sluice("bindings", "apply", "-f", "topologies/examples/bindings",
            "--bootstrap-servers", "localhost:" + port);
        assertEquals(0, apply.status, apply.err);
        final Result produce = sluiceWithInput("{\"id\": 1}\n", "produce", "--topic", "orders.in", "--user", "alice",
            "--bootstrap-servers", "localhost:" + port);
        assertEquals(0, produce.status, produce.err);
        final String ackBefore = awaitAck(port);
        assertEquals(0, first.interrupt("INT"), "Ctrl-C exits 0");

        // then: a restart on the same data folder has the bindings, and SIGTERM exits 0 too
        final Running second = start("run", "--broker-port", Integer.toString(port), "--data-dir", dataDir.toString());
        System.out.printf("restart to ready: %d ms%n", second.readyMillis);
        assertTrue(second.readyLine.contains("6 binding(s)"), second.readyLine);
        final Result list = sluice("bindings", "list", "-o", "json", "--bootstrap-servers", "localhost:" + port);
        assertEquals(0, list.status, list.err);
        assertEquals(6, list.out.lines().filter(line -> line.contains("\"status\":\"valid\"")).count(), list.out);
        assertEquals(ackBefore, awaitAck(port), "the audit survives the restart");
        assertEquals(0, second.interrupt("TERM"), "SIGTERM exits 0");
    }

    @Test
    void aTakenPortIsOneLineAndAFailure() throws Exception {
        // given
        try (ServerSocket taken = new ServerSocket(0)) {
            // when
            final Result run = sluice("run", "--broker-port", Integer.toString(taken.getLocalPort()),
                "--data-dir", dataDir.toString());

            // then
            assertEquals(1, run.status, run.err);
            assertFalse(run.out.contains("ready:"), run.out);
            final List<String> lines = run.err.lines().toList();
            assertEquals(1, lines.size(), run.err);
            assertTrue(lines.get(0).startsWith("sluice: ") && lines.get(0).contains(Integer.toString(taken.getLocalPort())),
                run.err);
        }
    }

    @Test
    void anInvalidBindingFilePublishesNothing() throws Exception {
        // given: a broker, and a file with one valid and one invalid binding
        final int port = FreePorts.freePortPair();
        final Running broker = start("broker", "--broker-port", Integer.toString(port), "--data-dir", dataDir.toString());
        final Path file = Files.writeString(dataDir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: good}
            spec: {plugin: header-removal, priority: 1, config: {pattern: "x-.*"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: bad name!}
            spec: {plugin: header-removal, priority: 1, config: {pattern: "x-.*"}}
            """);

        // when
        final Result apply = sluice("bindings", "apply", "-f", file.toString(), "--bootstrap-servers", "localhost:" + port);

        // then
        assertEquals(1, apply.status);
        assertTrue(apply.err.contains("metadata.name"), apply.err);
        final Result list = sluice("bindings", "list", "-o", "json", "--bootstrap-servers", "localhost:" + port);
        assertEquals(0, list.status, list.err);
        assertEquals("", list.out, "nothing was published");
        assertEquals(0, broker.interrupt("INT"));
    }

    private record Result(int status, String out, String err) {
    }

    /** The one ack event on the audit topic, once it is there (Sluice picks a new ingress topic up within seconds). */
    private String awaitAck(final int port) {
        final Result acks = org.awaitility.Awaitility.await("an ACKNOWLEDGED event from sluice audit acks")
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> sluice("audit", "acks", "-o", "json", "--bootstrap-servers", "localhost:" + port),
                result -> result.status == 0 && result.out.contains("\"outcome\":\"ACKNOWLEDGED\""));
        assertEquals(1, acks.out.lines().count(), acks.out);
        return acks.out.strip();
    }

    private Result sluiceWithInput(final String input, final String... args) throws IOException, InterruptedException {
        final Process process = launch(ProcessBuilder.Redirect.PIPE, args);
        try (java.io.OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        return finish(process, args);
    }

    private Result sluice(final String... args) throws IOException, InterruptedException {
        final Process process = launch(ProcessBuilder.Redirect.PIPE, args);
        process.getOutputStream().close();
        return finish(process, args);
    }

    private Result finish(final Process process, final String... args) throws InterruptedException {
        final CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        final String out = read(process.getInputStream());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sluice " + String.join(" ", args) + " finished");
        return new Result(process.exitValue(), out, err.join());
    }

    private final class Running {
        final Process process;
        final String readyLine;
        final long readyMillis;

        Running(final Process process, final String readyLine, final long readyMillis) {
            this.process = process;
            this.readyLine = readyLine;
            this.readyMillis = readyMillis;
        }

        int interrupt(final String signal) throws Exception {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped within 60 s after SIG" + signal);
            return process.exitValue();
        }
    }

    private Running start(final String... args) throws Exception {
        final long started = System.nanoTime();
        final Process process = launch(ProcessBuilder.Redirect.DISCARD, args);
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
        final String line = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(line != null, "sluice " + String.join(" ", args) + " printed ready:");
        return new Running(process, line, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    private Process launch(final ProcessBuilder.Redirect stderr, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of("./sluice"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr);
        builder.environment().remove("SLUICE_BOOTSTRAP_SERVERS");
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

package io.sluice.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test that drives {@code ./sluice broker} and {@code ./sluice run} processes, each with its log in the test's
 * folder. The folder is kept when the test fails, so the processes' logs (and the broker's data) can be read;
 * every process still running is killed after the test.
 */
abstract class SluiceProcessTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<SluiceProcess> processes = new ArrayList<>();

    @AfterEach
    final void killLeftovers() {
        processes.forEach(SluiceProcess::close);
    }

    /** {@code ./sluice <args>}, its output in {@code log}, once it printed its ready line. */
    final SluiceProcess start(final String log, final String... args) throws Exception {
        final SluiceProcess process = SluiceProcess.start(dir.resolve(log), args);
        processes.add(process);
        return process;
    }

    /** {@code ./sluice broker} on this port, its data in {@code broker/} (the same data each time it starts). */
    final SluiceProcess startBroker(final String log, final int port) throws Exception {
        return start(log, "broker", "--broker-port", Integer.toString(port), "--data-dir",
            dir.resolve("broker").toString());
    }

    /** {@code ./sluice run} with its data in {@code <name>/} and its output in {@code <name>.log}. */
    final SluiceProcess startRun(final String bootstrap, final Path topology, final String name) throws Exception {
        return start(name + ".log", "run", "--bootstrap-servers", bootstrap, "--topology", topology.toString(),
            "--data-dir", dir.resolve(name).toString());
    }

    /** A topology {@code <name>.in -> <name>.out} under exactly_once_v2 with its own config and audit topics. */
    final Path topology(final String name) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), """
            applicationId: %1$s
            configTopic: %1$s_bindings
            auditTopics: {acks: %1$s_acks, commits: %1$s_commits}
            rejectedTopic: %1$s_rejected
            processingGuarantee: exactly_once_v2
            routes:
              - ingress: %1$s.in
                egress: %1$s.out
            """.formatted(name));
    }

    /** A header-injection binding, applied with {@code ./sluice bindings apply}, so that every record runs a chain. */
    final void applyBindings(final String bootstrap, final String name) throws Exception {
        final Path file = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: trace}
            spec: {plugin: header-injection, priority: 1, config: {headers: {x-trace: "{{uuid}}"}}}
            """);
        final Process apply = new ProcessBuilder("./sluice", "bindings", "apply", "-f", file.toString(),
            "--bootstrap-servers", bootstrap, "--config-topic", name + "_bindings").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("apply.log").toFile())).start();
        assertEquals(0, apply.waitFor(), "bindings apply");
    }
}

package io.sluice.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One {@code ./sluice} process, as a user starts it: waits for its {@code ready:} line; stderr goes to a file. */
public final class SluiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    final Process process;
    public final String readyLine;
    final long readyMillis;
    final Path log;

    private SluiceProcess(final Process process, final String readyLine, final long readyMillis, final Path log) {
        this.process = process;
        this.readyLine = readyLine;
        this.readyMillis = readyMillis;
        this.log = log;
    }

    /** Starts {@code ./sluice args...} and returns once it printed {@code ready:}. */
    public static SluiceProcess start(final Path log, final String... args) throws Exception {
        final long started = System.nanoTime();
        final List<String> command = new ArrayList<>(List.of("./sluice"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().remove("SLUICE_BOOTSTRAP_SERVERS");
        final Process process = builder.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        final CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                String found = null;
                while ((line = out.readLine()) != null) {
                    if (found == null && line.startsWith("ready:")) {
                        found = line;
                        break;
                    }
                }
                // Keep draining stdout so that the process never blocks on a full pipe.
                final String result = found;
                CompletableFuture.runAsync(() -> {
                    try {
                        while (out.readLine() != null) {
                            // drop
                        }
                    } catch (final IOException ignored) {
                        // the process ended
                    }
                });
                return result;
            } catch (final IOException e) {
                return null;
            }
        });
        final String line;
        try {
            line = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (final Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("sluice " + String.join(" ", args) + " did not print ready: (log " + log
                + ")", e);
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("sluice " + String.join(" ", args) + " ended before ready: (log " + log + ")");
        }
        return new SluiceProcess(process, line, Duration.ofNanos(System.nanoTime() - started).toMillis(), log);
    }

    /** SIGKILL: no commit, no leave-group, no close; waits until the process is gone. */
    void kill9() throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("still alive after SIGKILL");
        }
    }

    /** SIGTERM and wait: a clean stop. */
    public int stop() throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

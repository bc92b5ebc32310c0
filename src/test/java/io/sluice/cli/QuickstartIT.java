package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testkit.FreePorts;

/**
 * Runs the README's quickstart — its own {@code $} commands, in order — against the embedded broker, and checks
 * that each prints what the README shows. Only the broker port and data folder differ (so the test can run beside
 * a real Sluice), and timestamps are compared by shape.
 */
class QuickstartIT {

    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";
    private static final String LOG_LINE = "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) .*";

    @TempDir
    Path dataDir;

    private Process sluiceRun;

    @AfterEach
    void stop() throws InterruptedException {
        if (sluiceRun != null) {
            sluiceRun.destroy();
            sluiceRun.waitFor(30, TimeUnit.SECONDS);
            sluiceRun.destroyForcibly();
        }
    }

    /** One {@code $ command} of the quickstart and the lines the README shows after it. */
    record Step(String command, List<String> shown) {
    }

    @Test
    void theReadmeQuickstartWorksAsShown() throws Exception {
        final List<Step> steps = readmeSteps();
        assertTrue(steps.size() >= 5, "the quickstart has its steps: " + steps);
        assertEquals("./sluice run", steps.get(0).command());
        final int port = FreePorts.freePortPair();

        // the first step starts Sluice on its embedded broker
        final String ready = startSluiceRun(port);
        assertEquals(steps.get(0).shown().get(0)
                .replace("localhost:9092", "localhost:" + port)
                .replace("data in .sluice", "data in " + dataDir),
            ready);

        // every other step talks to it and prints what the README shows
        for (final Step step : steps.subList(1, steps.size())) {
            if (step.command().contains("| jq") && !onPath("jq")) {
                System.out.println("jq is not installed: skipping " + step.command());
                continue;
            }
            final List<String> printed = step.command().contains("audit")
                ? retryUntilShown(port, step) : runAgainst(port, step.command());
            assertEquals(normalize(step.shown()), normalize(printed), "output of: " + step.command());
        }
    }

    private static List<Step> readmeSteps() throws IOException {
        final List<String> lines = Files.readAllLines(Path.of("README.md"));
        final int begin = lines.indexOf("<!-- quickstart:begin -->");
        final int end = lines.indexOf("<!-- quickstart:end -->");
        assertTrue(begin >= 0 && end > begin, "README.md marks its quickstart");
        final List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        for (final String line : lines.subList(begin + 1, end)) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock && line.startsWith("$ ")) {
                steps.add(new Step(line.substring(2), new ArrayList<>()));
            } else if (inBlock && !line.isBlank() && !steps.isEmpty()) {
                steps.get(steps.size() - 1).shown().add(line);
            }
        }
        return steps;
    }

    private String startSluiceRun(final int port) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder("./sluice", "run", "--broker-port", Integer.toString(port),
            "--data-dir", dataDir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("SLUICE_BOOTSTRAP_SERVERS");
        sluiceRun = builder.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(sluiceRun.getInputStream(),
            StandardCharsets.UTF_8));
        final String ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ready:")) {
                        return line;
                    }
                }
                return "(exited without ready:)";
            } catch (final IOException e) {
                return "(unreadable: " + e + ")";
            }
        }).get(120, TimeUnit.SECONDS);
        return ready;
    }

    /** Audit events appear once Sluice has picked the new ingress topic up: ask again, as a user would. */
    private static List<String> retryUntilShown(final int port, final Step step) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> printed = List.of();
        while (System.nanoTime() < deadline) {
            printed = runQuietly(port, step.command());
            if (normalize(printed).equals(normalize(step.shown()))) {
                break;
            }
            Thread.sleep(500);
        }
        return printed;
    }

    private static List<String> runQuietly(final int port, final String command) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .redirectErrorStream(true);
        builder.environment().put("SLUICE_BOOTSTRAP_SERVERS", "localhost:" + port);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(120, TimeUnit.SECONDS);
        return output.lines().filter(line -> !line.matches(LOG_LINE)).toList();
    }

    /** Runs a README command in a shell, with the documented environment variable pointing at the test's broker. */
    private static List<String> runAgainst(final int port, final String command) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .redirectErrorStream(true);
        builder.environment().put("SLUICE_BOOTSTRAP_SERVERS", "localhost:" + port);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " finished");
        assertEquals(0, process.exitValue(), command + " printed: " + output);
        return output.lines().filter(line -> !line.matches(LOG_LINE)).toList();
    }

    /** Timestamps and column padding differ from run to run; the rest must be the same. */
    private static List<String> normalize(final List<String> lines) {
        return lines.stream()
            .map(line -> line.replaceAll(TIMESTAMP, "<time>").replaceAll(" {2,}", "  ").strip())
            .toList();
    }

    private static boolean onPath(final String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}

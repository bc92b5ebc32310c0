package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Confluent-compatible schema registry: Apicurio Registry (in-memory storage) as a child process, its
 * Confluent REST API at {@link #url()}. The build unpacks it into {@code target/apicurio-registry}
 * ({@code generate-test-resources}), so it needs nothing installed by hand. One registry per test JVM, started
 * by the first class that asks, shared by the rest, and killed when the JVM exits:
 * <pre>{@code
 * @RegisterExtension
 * static final SchemaRegistry REGISTRY = SchemaRegistry.shared();
 * }</pre>
 * Tests share its subjects: give each test its own subject names (they follow the topic names).
 */
public final class SchemaRegistry implements BeforeAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final String VERSION = "3.0.9";
    private static final Path HOME = Path.of(System.getProperty("sluice.apicurio.home", "target/apicurio-registry"));
    private static final Path LOG_FILE = Path.of("target/apicurio-registry.log");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;
    /** The Confluent Schema Registry API of Apicurio 3. */
    public static final String CONFLUENT_API = "/apis/ccompat/v7";

    private static final SchemaRegistry SHARED = new SchemaRegistry();

    private Process process;
    private int port;
    private boolean hooked;

    private SchemaRegistry() {
    }

    /** The JVM's registry (started on first use). */
    public static SchemaRegistry shared() {
        return SHARED;
    }

    @Override
    public void beforeAll(final ExtensionContext context) {
        start();
    }

    /** Starts the registry unless it runs already. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        final Path jar = HOME.resolve("apicurio-registry-app-" + VERSION + "-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no Apicurio Registry at " + jar.toAbsolutePath()
                + ": run the tests through Maven (generate-test-resources unpacks it)");
        }
        final long start = System.nanoTime();
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                launch(jar);
                LOG.info("Apicurio Registry {} on {} ready in {} ms", VERSION, url(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
                return;
            } catch (final IllegalStateException e) {
                // A free port can be taken between our look and the registry's bind: try other ports.
                failure = e;
                stopProcess();
            }
        }
        throw failure;
    }

    private void launch(final Path jar) {
        port = FreePorts.freePort();
        final int managementPort = FreePorts.freePort();
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
            "-Dquarkus.log.level=WARN", "-Dquarkus.banner.enabled=false",
            "-jar", jar.toAbsolutePath().toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG_FILE.toFile()));
        try {
            process = builder.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + java, e);
        }
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(SHARED::stopProcess, "schema-registry-stop"));
            hooked = true;
        }
        awaitReady();
    }

    private void awaitReady() {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
            .timeout(Duration.ofSeconds(5)).GET().build();
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with status " + process.exitValue()
                    + " before it was ready; see " + LOG_FILE.toAbsolutePath());
            }
            try {
                final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode();
            } catch (final IOException e) {
                last = e.getClass().getSimpleName();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            sleep(200);
        }
        throw new IllegalStateException("Apicurio Registry not ready at " + url() + " within " + READY_TIMEOUT
            + " (last: " + last + "); see " + LOG_FILE.toAbsolutePath());
    }

    /** The registry's Confluent API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API;
    }

    /** Host and port, for a proxy in front of it. */
    public int port() {
        return port;
    }

    private synchronized void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

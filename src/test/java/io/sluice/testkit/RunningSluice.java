package io.sluice.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;

import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.SluiceApp;
import io.sluice.topology.TopologyFiles;

/** Sluice in the test JVM, as {@code sluice run} starts it: from a topology file, against a test broker. */
public final class RunningSluice {

    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration BINDINGS_TIMEOUT = Duration.ofSeconds(60);

    private RunningSluice() {
    }

    /** Reads the topology (it must be valid), starts Sluice with the built-in plugins and waits until it runs. */
    public static SluiceApp start(final Path topology, final String bootstrapServers, final Path stateDir)
        throws InterruptedException {
        final TopologyFiles.Result read = TopologyFiles.read(topology);
        assertTrue(read.isValid(), () -> read.problems().toString());
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        final SluiceApp started = new SluiceApp(read.topology(), client, stateDir, PluginRegistry.load()).start();
        assertTrue(started.awaitRunning(RUNNING_TIMEOUT), "Kafka Streams reached RUNNING");
        return started;
    }

    /** Waits until the application has read {@code count} bindings from its config topic. */
    public static void awaitBindings(final SluiceApp sluice, final int count) {
        await("the app to have " + count + " bindings").atMost(BINDINGS_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .until(() -> sluice.resolver().stats().bindings(), bindings -> bindings == count);
    }
}

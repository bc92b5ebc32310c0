package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;

import io.sluice.bindings.BindingRecords;
import io.sluice.console.ConsoleServer;
import io.sluice.console.MetricsHistory;
import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.EmbeddedBroker;
import io.sluice.runtime.MetricsEndpoint;
import io.sluice.runtime.SluiceApp;
import io.sluice.runtime.StartupException;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;
import io.sluice.topology.TopologyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs Sluice: applies the interceptor chains of the config topic to every routed record.",
        "With no bootstrap servers (no --bootstrap-servers, no $SLUICE_BOOTSTRAP_SERVERS) it first starts an embedded "
            + "single-node Kafka broker.",
        "Creates the topics it needs, prints a line starting with 'ready:' once records flow; Ctrl-C or SIGTERM "
            + "stops it cleanly."})
final class RunCommand implements Callable<Integer> {

    /** How long Kafka Streams may take to load the bindings and get its partitions. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    BrokerOptions broker;

    @Mixin
    PluginPathOptions plugins;

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "Serve Prometheus metrics on http://localhost:PORT/metrics (Kafka Streams, JVM and Sluice's own). "
            + "Default: off.")
    Integer metricsPort;

    @Option(names = "--topology", paramLabel = "FILE",
        description = "The topology file: topics and routes. Default: topologies/default.yaml.")
    Path topologyFile;

    @Mixin
    ConsoleOptions console;

    /** How often the console samples the instance's counters for its charts. */
    Duration consoleSampling = MetricsHistory.DEFAULT_INTERVAL;

    @Override
    public Integer call() throws InterruptedException {
        if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
            throw new UserException("--metrics-port " + metricsPort + ": must be between 1 and 65535");
        }
        console.validate(spec);
        final Signals signals = Signals.trapStop();
        final TopologyFile topology = readTopology(topologyFile);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final boolean embedded = kafka.explicitBootstrapServers() == null;
        try (EmbeddedBroker embeddedBroker = embedded ? BrokerCommand.start(broker) : null) {
            final Properties client = kafka.clientProperties();
            if (embeddedBroker != null) {
                client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, embeddedBroker.bootstrapServers());
            }
            final PluginRegistry registry = plugins.registry();
            try (SluiceApp app = startApp(topology, client, registry);
                 MetricsEndpoint metrics = metricsPort == null ? null : startMetrics(app, metricsPort);
                 ConsoleSources consoleData = console.port == null ? null
                     : ConsoleSources.ofInstance(app, client, new BindingRecords(registry), consoleSampling);
                 ConsoleServer consoleServer = consoleData == null ? null : console.start(consoleData)) {
                while (!app.awaitRunning(Duration.ofMillis(200))) {
                    if (signals.stopRequested()) {
                        return 0;
                    }
                    if (app.streams().state().hasCompletedShutdown()) {
                        throw new UserException("Kafka Streams stopped while starting: " + app.streams().state());
                    }
                }
                out.println(readyLine(app, client, embeddedBroker));
                if (consoleServer != null) {
                    out.println("console: " + consoleServer.url());
                }
                out.flush();
                signals.awaitStop();
                err.println("sluice: stopping (committing and closing interceptors)");
                err.flush();
            }
        }
        return 0;
    }

    private SluiceApp startApp(final TopologyFile topology, final Properties client, final PluginRegistry registry) {
        try {
            return new SluiceApp(topology, client, broker.dataDir.resolve("streams"), registry).start();
        } catch (final StartupException e) {
            throw new UserException(e.getMessage());
        } catch (final KafkaException e) {
            throw new UserException("cannot start Sluice on " + client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                + ": " + SluiceCommand.withCauses(e));
        }
    }

    private static MetricsEndpoint startMetrics(final SluiceApp app, final int port) {
        try {
            return MetricsEndpoint.start(app, port);
        } catch (final StartupException e) {
            throw new UserException(e.getMessage());
        }
    }

    static TopologyFile readTopology(final Path file) {
        final Path path = file != null ? file : defaultTopology();
        final TopologyFiles.Result result = TopologyFiles.read(path);
        if (!result.isValid()) {
            throw new UserException(result.problems().stream().map(Object::toString)
                .collect(Collectors.joining("; ")));
        }
        return result.topology();
    }

    /** topologies/default.yaml of the working directory, else of the installation the launcher runs from. */
    static Path defaultTopology() {
        final Path local = TopologyFiles.DEFAULT_FILE;
        final String home = System.getenv("SLUICE_HOME");
        if (Files.exists(local) || home == null) {
            return local;
        }
        return Path.of(home).resolve(TopologyFiles.DEFAULT_FILE);
    }

    private static String readyLine(final SluiceApp app, final Properties client, final EmbeddedBroker embedded) {
        final TopologyFile topology = app.topology();
        final String routes = topology.routes().stream().map(RunCommand::describe).collect(Collectors.joining(", "));
        return "ready: application '" + topology.applicationId() + "' on "
            + client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
            + (embedded == null ? "" : " (embedded broker, data in " + embedded.settings().dataDir() + ")")
            + ", " + topology.processingGuarantee().streamsValue()
            + ", " + app.resolver().stats().bindings() + " binding(s); routes: " + routes;
    }

    private static String describe(final Route route) {
        final String vcluster = route.vcluster() != null ? " [vcluster " + route.vcluster() + "]"
            : route.vclusterFromHeader() ? " [vcluster from header]" : "";
        return route.ingress() + " -> " + route.egress() + vcluster;
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.CommonClientConfigs;

import io.sluice.bindings.BindingRecords;
import io.sluice.console.ConsoleServer;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "console", mixinStandardHelpOptions = true,
    description = {"Serves the web console beside a running Sluice: bindings as a scope tree, the resolve form, "
        + "the audit explorer, and the same data as JSON.",
        "Reads the config topic and the audit topics of the topology's application; read-only. Inside `sluice run`, "
            + "--console-port serves it with the instance's own charts. Prints a line starting with 'ready:'; "
            + "Ctrl-C stops it."})
final class ConsoleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    ConsoleOptions console;

    @Mixin
    PluginPathOptions plugins;

    @Option(names = "--topology", paramLabel = "FILE",
        description = "The running application's topology file (its config and audit topics). "
            + "Default: topologies/default.yaml.")
    Path topologyFile;

    @Override
    public Integer call() throws InterruptedException {
        if (console.port == null) {
            throw new ParameterException(spec.commandLine(), "--console-port is required");
        }
        console.validate(spec);
        final Signals signals = Signals.trapStop();
        final TopologyFile topology = RunCommand.readTopology(topologyFile);
        final PrintWriter out = spec.commandLine().getOut();
        // Fail fast on unreachable brokers, as every other command does.
        ConfigTopicClient.readAll(kafka.clientProperties(), topology.configTopic(),
            new BindingRecords(plugins.registry()));
        try (ConsoleSources sources = ConsoleSources.ofTopics(kafka.clientProperties(), topology,
            new BindingRecords(plugins.registry()));
             ConsoleServer server = console.start(sources)) {
            out.println("ready: console on " + server.url() + " for application '" + topology.applicationId()
                + "' on " + kafka.clientProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
            out.flush();
            signals.awaitStop();
        }
        return 0;
    }
}

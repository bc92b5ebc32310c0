package io.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.sluice.runtime.EmbeddedBroker;
import io.sluice.runtime.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Runs only the embedded single-node Kafka broker (KRaft), to try Sluice with other tools or to run "
        + "several `sluice run` instances against one broker.", "With --controller-quorum-voters, runs one node of a "
        + "local multi-node cluster instead (start every node with the same voters and its own --node-id, "
        + "--broker-port and --data-dir).", "Prints a line starting with 'ready:' when it accepts "
        + "clients; Ctrl-C stops it."})
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Option(names = "--node-id", paramLabel = "N", defaultValue = "1",
        description = "This node's id in a multi-node cluster (one of the voters). Default: ${DEFAULT-VALUE}.")
    int nodeId;

    @Option(names = "--controller-quorum-voters", paramLabel = "ID@localhost:PORT,...",
        description = {"Every node of a local multi-node cluster, as Kafka's controller.quorum.voters, e.g. "
            + "1@localhost:19093,2@localhost:29093,3@localhost:39093; this node's controller listens on its own "
            + "entry's port. Topics then get min(3, nodes) replicas and min.insync.replicas min(2, nodes) by default.",
            "Default: a single node, its controller on --broker-port + 1."})
    String voters;

    @Override
    public Integer call() throws InterruptedException {
        final Signals signals = Signals.trapStop();
        final PrintWriter out = spec.commandLine().getOut();
        try (EmbeddedBroker running = start(settings())) {
            out.println("ready: Kafka broker on " + running.bootstrapServers() + " (data in " + broker.dataDir + ")");
            out.flush();
            signals.awaitStop();
            spec.commandLine().getErr().println("sluice: stopping the broker");
        }
        return 0;
    }

    static EmbeddedBroker start(final BrokerOptions options) {
        return start(options.settings());
    }

    private EmbeddedBroker.Settings settings() {
        final EmbeddedBroker.Settings single = broker.settings();
        if (voters == null) {
            return single;
        }
        try {
            return EmbeddedBroker.Settings.of(single.port(), single.dataDir(), EmbeddedBroker.Quorum.parse(nodeId, voters));
        } catch (final StartupException e) {
            throw new UserException("--controller-quorum-voters: " + e.getMessage());
        }
    }

    private static EmbeddedBroker start(final EmbeddedBroker.Settings settings) {
        try {
            return EmbeddedBroker.start(settings);
        } catch (final StartupException e) {
            throw new UserException(e.getMessage());
        }
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.sluice.runtime.EmbeddedBroker;
import io.sluice.runtime.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
    description = {"Runs only the embedded single-node Kafka broker (KRaft), to try Sluice with other tools or to run "
        + "several `sluice run` instances against one broker.", "Prints a line starting with 'ready:' when it accepts "
        + "clients; Ctrl-C stops it."})
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException {
        final Signals signals = Signals.trapStop();
        final PrintWriter out = spec.commandLine().getOut();
        try (EmbeddedBroker running = start(broker)) {
            out.println("ready: Kafka broker on " + running.bootstrapServers() + " (data in " + broker.dataDir + ")");
            out.flush();
            signals.awaitStop();
            spec.commandLine().getErr().println("sluice: stopping the broker");
        }
        return 0;
    }

    static EmbeddedBroker start(final BrokerOptions options) {
        try {
            return EmbeddedBroker.start(options.settings());
        } catch (final StartupException e) {
            throw new UserException(e.getMessage());
        }
    }
}

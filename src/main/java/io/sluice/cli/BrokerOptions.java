package io.sluice.cli;

import java.nio.file.Path;

import io.sluice.runtime.EmbeddedBroker;
import picocli.CommandLine.Option;

/** Where the embedded broker listens and keeps its data. */
final class BrokerOptions {

    @Option(names = "--broker-port", paramLabel = "P", defaultValue = "" + EmbeddedBroker.DEFAULT_PORT,
        description = "Port of the embedded broker (its controller uses the next port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".sluice",
        description = "Data of the embedded broker and Kafka Streams state, kept across restarts. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    EmbeddedBroker.Settings settings() {
        if (port < 1 || port > 65534) {
            throw new UserException("--broker-port " + port + ": must be between 1 and 65534");
        }
        return EmbeddedBroker.Settings.of(port, dataDir);
    }
}

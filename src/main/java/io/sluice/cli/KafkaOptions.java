package io.sluice.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;

import io.sluice.runtime.ClientSettings;
import picocli.CommandLine.Option;

/** {@code --bootstrap-servers} and {@code --command-config}, shared by every command that talks to Kafka. */
final class KafkaOptions {

    static final String BOOTSTRAP_ENV = "SLUICE_BOOTSTRAP_SERVERS";
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
        description = "Kafka brokers. Default: $" + BOOTSTRAP_ENV + ", else " + DEFAULT_BOOTSTRAP + ".")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE",
        description = "Client properties (SASL, TLS, ...) passed to every Kafka client, as the Kafka CLI tools do.")
    Path commandConfig;

    /** The servers given on the command line or in the environment, or {@code null} when neither says. */
    String explicitBootstrapServers() {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return bootstrapServers;
        }
        final String fromEnvironment = System.getenv(BOOTSTRAP_ENV);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    String bootstrapServers() {
        final String servers = explicitBootstrapServers();
        return servers == null ? DEFAULT_BOOTSTRAP : servers;
    }

    /** Client properties: the command config file, then the bootstrap servers. */
    Properties clientProperties() {
        final Properties properties = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                properties.load(reader);
            } catch (final NoSuchFileException e) {
                throw new UserException("--command-config " + commandConfig + ": no such file");
            } catch (final IOException | IllegalArgumentException e) {
                throw new UserException("--command-config " + commandConfig + ": cannot read: " + e.getMessage());
            }
        }
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try {
            ClientSettings.check(properties);
        } catch (final ConfigException e) {
            throw new UserException((commandConfig == null ? "" : "--command-config " + commandConfig + ": ")
                + SluiceCommand.oneLine(e.getMessage()));
        }
        return properties;
    }
}

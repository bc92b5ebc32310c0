package io.sluice.runtime;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks client properties (a {@code --command-config} file) against the settings Kafka defines, before any
 * client is built: a value of the wrong type or out of range is one line naming the setting, instead of an
 * exception from deep inside a client or from Sluice's own reading of {@code batch.size}.
 */
public final class ClientSettings {

    /** Prefixes Kafka Streams passes on to one kind of client; a setting without one goes to all of them. */
    private static final List<String> PREFIXES = List.of(StreamsConfig.PRODUCER_PREFIX,
        StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
        StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private static final List<ConfigDef> DEFINITIONS = List.of(StreamsConfig.configDef(), ProducerConfig.configDef(),
        ConsumerConfig.configDef(), AdminClientConfig.configDef());

    private ClientSettings() {
    }

    /**
     * @throws ConfigException naming the first setting whose value Kafka would refuse; unknown names pass (Kafka
     *                         only warns about them)
     */
    public static void check(final Properties properties) {
        for (final Map.Entry<Object, Object> entry : properties.entrySet()) {
            final String name = String.valueOf(entry.getKey());
            final String bare = unprefixed(name);
            for (final ConfigDef definition : DEFINITIONS) {
                final ConfigDef.ConfigKey key = definition.configKeys().get(bare);
                if (key != null) {
                    check(name, key, entry.getValue());
                }
            }
        }
    }

    private static void check(final String name, final ConfigDef.ConfigKey key, final Object value) {
        try {
            final Object parsed = ConfigDef.parseType(key.name, value, key.type);
            if (key.validator != null) {
                key.validator.ensureValid(key.name, parsed);
            }
        } catch (final ConfigException e) {
            // Kafka names the bare setting; the user wrote the prefixed one.
            throw new ConfigException(name.equals(key.name) ? e.getMessage()
                : e.getMessage().replace("configuration " + key.name, "configuration " + name));
        }
    }

    private static String unprefixed(final String name) {
        for (final String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }
}

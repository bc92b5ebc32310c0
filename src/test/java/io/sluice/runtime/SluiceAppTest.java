package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.sluice.plugins.PluginRegistry;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

class SluiceAppTest {

    private static final TopologyFile TOPOLOGY = new TopologyFile("app", "app_bindings",
        new TopologyFile.AuditTopics("app_acks", "app_commits"), "app_rejected", ProcessingGuarantee.EXACTLY_ONCE_V2,
        List.of(new Route("in", "out", "payments", false)));

    @Test
    void theProducerBatchesMoreThanKafkasDefaultUnlessTheUserSaysOtherwise() {
        final Properties defaults = streamsProperties(new Properties());
        assertEquals("131072", defaults.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals("67108864", defaults.get(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG)));

        final Properties plain = new Properties();
        plain.put(ProducerConfig.BATCH_SIZE_CONFIG, "32768");
        final Properties withPlain = streamsProperties(plain);
        // A prefixed setting would win over the user's plain one in Kafka Streams: Sluice must not add it.
        assertFalse(withPlain.containsKey(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals("32768", producerSetting(withPlain, ProducerConfig.BATCH_SIZE_CONFIG));

        final Properties prefixed = new Properties();
        prefixed.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), "1048576");
        assertEquals("1048576", producerSetting(streamsProperties(prefixed), ProducerConfig.BUFFER_MEMORY_CONFIG));
    }

    /** The setting as Kafka Streams hands it to the stream threads' producers. */
    private static String producerSetting(final Properties streamsProperties, final String name) {
        return String.valueOf(new StreamsConfig(streamsProperties).getProducerConfigs("client").get(name));
    }

    private static Properties streamsProperties(final Properties client) {
        client.put("bootstrap.servers", "localhost:9092");
        return new SluiceApp(TOPOLOGY, client, Path.of("state"), new PluginRegistry(List.of())).streamsProperties();
    }
}

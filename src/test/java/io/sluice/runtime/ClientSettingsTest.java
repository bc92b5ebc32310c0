package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.plugins.PluginRegistry;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

class ClientSettingsTest {

    @TempDir
    Path state;

    @Test
    void aValueOfTheWrongTypeNamesTheSettingAsTheUserWroteIt() {
        // given
        final Properties properties = new Properties();
        properties.put("producer.batch.size", "abc");

        // when
        final ConfigException failure = assertThrows(ConfigException.class, () -> ClientSettings.check(properties));

        // then
        assertEquals("Invalid value abc for configuration producer.batch.size: Not a number of type INT",
            failure.getMessage());
    }

    @Test
    void validAndUnknownSettingsPass() {
        // given
        final Properties properties = new Properties();
        properties.put("batch.size", "65536");
        properties.put("main.consumer.max.poll.records", 500);
        properties.put("security.protocol", "sasl_ssl");
        properties.put("something.else", "x");

        // when / then: no exception
        ClientSettings.check(properties);
    }

    @Test
    void sluiceAppRefusesABadSettingBeforeItBuildsAnyClient() {
        // given: no broker at all
        final Properties client = new Properties();
        client.put("bootstrap.servers", "localhost:1");
        client.put("batch.size", "abc");
        final TopologyFile topology = new TopologyFile("app", "app_bindings", new TopologyFile.AuditTopics("a", "c"),
            "rejected", ProcessingGuarantee.AT_LEAST_ONCE, List.of(new Route("in", "out", null, false)));
        final SluiceApp app = new SluiceApp(topology, client, state, new PluginRegistry(List.of()));

        // when
        final StartupException failure = assertThrows(StartupException.class, app::start);

        // then
        assertEquals("client properties: Invalid value abc for configuration batch.size: Not a number of type INT",
            failure.getMessage());
    }
}

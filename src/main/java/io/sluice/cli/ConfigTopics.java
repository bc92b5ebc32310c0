package io.sluice.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the config topic (one partition, compacted) when it is missing. */
final class ConfigTopics {

    private ConfigTopics() {
    }

    static void ensureExists(final Properties client, final String topic) {
        final Properties properties = ConfigTopicClient.commandClient(client);
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all().get();
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new UserException("cannot create the config topic '" + topic + "': "
                    + SluiceCommand.oneLine(String.valueOf(e.getCause().getMessage())));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while creating the config topic '" + topic + "'");
        } catch (final KafkaException e) {
            throw ConfigTopicClient.unreachable(properties, e);
        }
    }
}

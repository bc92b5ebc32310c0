package io.sluice.cli;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.ConfigRecord;

/** Reads the config topic to its end, and publishes binding records to it, for the command line. */
final class ConfigTopicClient {

    /** How long a command waits for Kafka before it gives up with a one-line error. */
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

    /**
     * One identity as the config topic holds it now.
     *
     * @param inForce the valid binding the application applies, or {@code null}
     * @param invalid the identity's latest record when it is invalid (not applied), or {@code null}
     */
    record Entry(ConfigRecord.Valid inForce, ConfigRecord.Invalid invalid) {
    }

    private ConfigTopicClient() {
    }

    /** Client settings for short-lived commands: fail within {@link #KAFKA_TIMEOUT}, never create topics. */
    static Properties commandClient(final Properties base) {
        final Properties properties = new Properties();
        properties.putAll(base);
        final String timeout = Long.toString(KAFKA_TIMEOUT.toMillis());
        properties.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        properties.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        return properties;
    }

    /** Every identity on the topic, in the order first seen; an empty list when the topic does not exist. */
    static List<Entry> readAll(final Properties client, final String topic, final BindingRecords records) {
        final Map<ByteBuffer, Entry> byKey = new LinkedHashMap<>();
        scan(client, topic, record -> fold(byKey, record, records.decode(record.topic() + "-" + record.partition() + "@"
            + record.offset(), record.key(), record.value())));
        return List.copyOf(byKey.values());
    }

    /** The latest value of every key of a compacted topic (tombstones remove); empty when the topic does not exist. */
    static Map<ByteBuffer, byte[]> latest(final Properties client, final String topic) {
        final Map<ByteBuffer, byte[]> byKey = new LinkedHashMap<>();
        scan(client, topic, record -> {
            final ByteBuffer key = ByteBuffer.wrap(record.key() == null ? new byte[0] : record.key());
            if (record.value() == null) {
                byKey.remove(key);
            } else {
                byKey.put(key, record.value());
            }
        });
        return byKey;
    }

    /** Reads a topic from the beginning to its end offsets as they were when the scan began. */
    private static void scan(final Properties client, final String topic,
                             final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        final Properties properties = commandClient(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic, KAFKA_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            final List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(assigned, KAFKA_TIMEOUT));
            final long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new UserException("timed out reading the topic '" + topic + "' from "
                        + properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record);
                }
            }
        } catch (final KafkaException e) {
            throw unreachable(properties, e);
        }
    }

    private static boolean reachedEnd(final KafkaConsumer<byte[], byte[]> consumer,
                                      final Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(partition -> consumer.position(partition.getKey(), KAFKA_TIMEOUT) >= partition.getValue());
        return end.isEmpty();
    }

    private static void fold(final Map<ByteBuffer, Entry> byKey, final ConsumerRecord<byte[], byte[]> record,
                             final ConfigRecord decoded) {
        final ByteBuffer key = ByteBuffer.wrap(record.key() == null ? new byte[0] : record.key());
        final Entry previous = byKey.get(key);
        if (decoded instanceof ConfigRecord.Valid valid) {
            byKey.put(key, new Entry(valid, null));
        } else if (decoded instanceof ConfigRecord.Tombstone) {
            byKey.remove(key);
        } else if (decoded instanceof ConfigRecord.Invalid invalid) {
            byKey.put(key, new Entry(previous == null ? null : previous.inForce(), invalid));
        }
    }

    /** Writes records (key, value or {@code null} for a tombstone) and waits until every one is acknowledged. */
    static void publish(final Properties client, final String topic, final List<Map.Entry<byte[], byte[]>> records) {
        final Properties properties = commandClient(client);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(KAFKA_TIMEOUT.toMillis()));
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            Long.toString(KAFKA_TIMEOUT.toMillis() + 1000));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            final List<Future<?>> sent = new ArrayList<>(records.size());
            for (final Map.Entry<byte[], byte[]> record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())));
            }
            producer.flush();
            for (final Future<?> future : sent) {
                future.get();
            }
        } catch (final ExecutionException e) {
            throw new UserException("publishing to '" + topic + "' failed: " + SluiceCommand.oneLine(
                String.valueOf(e.getCause().getMessage())));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted while publishing to '" + topic + "'");
        } catch (final KafkaException e) {
            throw unreachable(properties, e);
        }
    }

    /** The bindings in force, for {@code resolve} without files. */
    static List<Binding> bindingsInForce(final List<Entry> entries) {
        return entries.stream().filter(entry -> entry.inForce() != null).map(entry -> entry.inForce().binding()).toList();
    }

    static UserException unreachable(final Properties properties, final KafkaException e) {
        return new UserException("cannot talk to Kafka at " + properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
            + ": " + SluiceCommand.withCauses(e));
    }
}

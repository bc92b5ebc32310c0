package io.sluice.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test helpers that talk to any cluster by its bootstrap servers: the {@link KafkaCluster} extension, the
 * embedded broker, a cluster an application under test uses. Failures throw: a test should fail loudly.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** Creates a topic and returns once the broker describes it. */
    public static void createTopic(final Admin admin, final String name, final int partitions,
                                   final Map<String, String> configs) {
        final NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        await(admin.createTopics(List.of(topic)).all());
        awaitTopic(admin, name, Duration.ofSeconds(30));
    }

    /**
     * The topic's description, once the broker has it: a topic someone else creates, or one created a moment
     * ago (the controller confirms a creation before the broker's metadata has it).
     */
    public static TopicDescription awaitTopic(final Admin admin, final String name, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return await(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
            } catch (final IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Duration.ofMillis(50));
            }
        }
    }

    /** Writes the records in order (acks=all, idempotent) and returns where each landed. */
    public static List<RecordMetadata> produce(final String bootstrapServers, final String topic,
                                               final List<TestRecord> records) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                 new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (final TestRecord record : records) {
                sent.add(producer.send(producerRecord(topic, record)));
            }
            producer.flush();
            return sent.stream().map(KafkaClients::await).toList();
        }
    }

    /**
     * Reads {@code topic} from the beginning of every partition until {@code count} records arrived or the
     * timeout passed, and returns what arrived (so that a failing assertion shows it). To check that no more
     * than {@code n} records arrive, ask for {@code n + 1} with a short timeout. Waits for the topic to exist
     * and never creates it.
     */
    public static List<ConsumerRecord<String, String>> consume(final String bootstrapServers, final String topic,
                                                               final int count, final Duration timeout,
                                                               final IsolationLevel isolation) {
        return consume(bootstrapServers, topic, count, record -> 1, timeout, isolation, new StringDeserializer(),
            new StringDeserializer());
    }

    /** {@link #consume} for keys and values that are not text (Avro audit events, encrypted values). */
    public static List<ConsumerRecord<byte[], byte[]>> consumeBytes(final String bootstrapServers, final String topic,
                                                                    final int count, final Duration timeout,
                                                                    final IsolationLevel isolation) {
        return consume(bootstrapServers, topic, count, record -> 1, timeout, isolation, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    /**
     * {@link #consumeBytes} counting what the records hold instead of records: it stops once the records read hold
     * {@code count} of what {@code weight} counts (e.g. acknowledgement events, several to a batch record).
     */
    public static List<ConsumerRecord<byte[], byte[]>> consumeBytes(final String bootstrapServers, final String topic,
                                                                    final int count,
                                                                    final ToIntFunction<ConsumerRecord<byte[], byte[]>> weight,
                                                                    final Duration timeout,
                                                                    final IsolationLevel isolation) {
        return consume(bootstrapServers, topic, count, weight, timeout, isolation, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    /**
     * Every record of {@code topic} up to its end offsets as they are now (under {@code read_committed}: the last
     * stable offsets): for "exactly n, no more" checks, once whatever should be there was written — no settle
     * window. Fails when the end is not reached within the timeout.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consumeBytesToEnd(final String bootstrapServers,
                                                                         final String topic, final Duration timeout,
                                                                         final IsolationLevel isolation) {
        return consumeToEnd(bootstrapServers, topic, timeout, isolation, new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    }

    /** {@link #consumeBytesToEnd} with text keys and values. */
    public static List<ConsumerRecord<String, String>> consumeToEnd(final String bootstrapServers, final String topic,
                                                                    final Duration timeout,
                                                                    final IsolationLevel isolation) {
        return consumeToEnd(bootstrapServers, topic, timeout, isolation, new StringDeserializer(),
            new StringDeserializer());
    }

    private static <K, V> List<ConsumerRecord<K, V>> consumeToEnd(final String bootstrapServers, final String topic,
                                                                  final Duration timeout, final IsolationLevel isolation,
                                                                  final Deserializer<K> keys,
                                                                  final Deserializer<V> values) {
        final Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT),
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            final List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no topic '" + topic + "' within " + timeout);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, remaining(deadline));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not read '" + topic + "' to its end offsets " + ends
                        + " within " + timeout + "; read " + records.size() + " record(s)");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    /** The value of the last header with that name, as UTF-8, or {@code null}. */
    public static String header(final ConsumerRecord<?, ?> record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <K, V> List<ConsumerRecord<K, V>> consume(final String bootstrapServers, final String topic,
                                                             final int count,
                                                             final ToIntFunction<ConsumerRecord<K, V>> weight,
                                                             final Duration timeout, final IsolationLevel isolation,
                                                             final Deserializer<K> keys, final Deserializer<V> values) {
        final Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT),
            // Asking for a missing topic must not create it with the broker's default partition count.
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        final long deadline = System.nanoTime() + timeout.toNanos();
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        // No group: assigning partitions directly skips the rebalance.
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            final List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int counted = 0;
            while (counted < count && System.nanoTime() < deadline) {
                for (final ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(100))) {
                    records.add(record);
                    counted += weight.applyAsInt(record);
                }
            }
        }
        return records;
    }

    private static List<TopicPartition> awaitPartitions(final KafkaConsumer<?, ?> consumer, final String topic,
                                                        final long deadline) {
        while (true) {
            final List<PartitionInfo> partitions = consumer.partitionsFor(topic, remaining(deadline));
            if (!partitions.isEmpty()) {
                return partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            if (System.nanoTime() >= deadline) {
                return List.of();
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private static ProducerRecord<String, String> producerRecord(final String topic, final TestRecord record) {
        final ProducerRecord<String, String> producerRecord = new ProducerRecord<>(topic, record.key(), record.value());
        record.headers().forEach((name, value) ->
            producerRecord.headers().add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
        return producerRecord;
    }

    private static Duration remaining(final long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    public static <T> T await(final Future<T> future) {
        try {
            return future.get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void sleep(final Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.sluice.avro.AvroDecodingException;

/**
 * Reads one audit topic for {@code sluice audit}: committed records only, every partition, from the beginning or
 * from a time, to the end the topic had when reading began — or on, until stopped. A record holds one event or
 * several (a batch of acknowledgement events); a record that does not decode is reported on one line of
 * {@code err} and skipped.
 *
 * @param <T> the event type
 */
final class AuditTopicReader<T> implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = ConfigTopicClient.KAFKA_TIMEOUT;
    /** {@link #latest} reads at least this many records of a partition at a time. */
    private static final int LATEST_MIN_STEP = 100;

    private final String topic;
    private final Function<byte[], ? extends List<? extends T>> codec;
    private final PrintWriter err;
    private final Properties properties;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    /** @param codec the events of one record's value */
    AuditTopicReader(final Properties client, final String topic,
                     final Function<byte[], ? extends List<? extends T>> codec,
                     final PrintWriter err) {
        this.topic = topic;
        this.codec = codec;
        this.err = err;
        this.properties = ConfigTopicClient.commandClient(client);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            this.partitions = partitions();
            consumer.assign(partitions);
        } catch (final RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e instanceof KafkaException kafka ? ConfigTopicClient.unreachable(properties, kafka) : e;
        }
    }

    /** Starts at the end the topic has now (resolved at once: a record written after this call is read). */
    AuditTopicReader<T> fromEnd() {
        consumer.seekToEnd(partitions);
        partitions.forEach(partition -> call(() -> consumer.position(partition, TIMEOUT)));
        return this;
    }

    /** Starts at the first record written at or after {@code notBefore} (record timestamps), or at the beginning. */
    AuditTopicReader<T> from(final Instant notBefore) {
        if (notBefore == null) {
            consumer.seekToBeginning(partitions);
            return this;
        }
        final Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, notBefore.toEpochMilli()));
        final Map<TopicPartition, OffsetAndTimestamp> found = call(() -> consumer.offsetsForTimes(times, TIMEOUT));
        for (final TopicPartition partition : partitions) {
            final OffsetAndTimestamp offset = found.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        return this;
    }

    /**
     * The newest {@code limit} events that match, newest first, read backwards from the end the topic has now, one
     * step per partition at a time, never reading more than {@code budget} records, nor records written before
     * {@code notBefore}. Memory holds at most {@code limit} events and one step of records: a window, never the topic.
     *
     * @param time an event's time, to order events across partitions
     * @return the events, newest first, how many records were read, and whether the budget ran out first
     */
    Latest<T> latest(final Predicate<T> filter, final Function<T, Instant> time, final Instant notBefore,
                     final int limit, final int budget) {
        final Map<TopicPartition, Long> end = call(() -> consumer.endOffsets(partitions, TIMEOUT));
        final Map<TopicPartition, Long> floor = new HashMap<>(call(() -> consumer.beginningOffsets(partitions, TIMEOUT)));
        if (notBefore != null) {
            final Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, notBefore.toEpochMilli()));
            final Map<TopicPartition, OffsetAndTimestamp> found = call(() -> consumer.offsetsForTimes(times, TIMEOUT));
            partitions.forEach(partition -> {
                final OffsetAndTimestamp offset = found.get(partition);
                floor.merge(partition, offset == null ? end.get(partition) : offset.offset(), Math::max);
            });
        }
        // The newest matches so far, oldest first at the head: the one to drop when a newer one comes.
        final PriorityQueue<T> newest = new PriorityQueue<>(Comparator.comparing(time));
        final Map<TopicPartition, Long> cursor = new HashMap<>(end);
        final int step = Math.max(LATEST_MIN_STEP, Math.min(limit, budget / Math.max(1, partitions.size())));
        long scanned = 0;
        boolean complete = true;
        while (!cursor.isEmpty()) {
            if (scanned >= budget) {
                complete = false;
                break;
            }
            for (final TopicPartition partition : List.copyOf(cursor.keySet())) {
                final long to = cursor.get(partition);
                final long from = Math.max(floor.get(partition), to - step);
                if (to <= from) {
                    cursor.remove(partition);
                    continue;
                }
                final List<T> events = range(partition, from, to);
                scanned += to - from;
                events.stream().filter(filter).forEach(event -> {
                    newest.add(event);
                    if (newest.size() > limit) {
                        newest.poll();
                    }
                });
                // Older records of this partition cannot make the window once it is full with ones as new or newer.
                // "As new" matters: under exactly-once every event of a transaction has the commit's time, so
                // thousands tie, and waiting for a strictly older one read them all on every query.
                final boolean full = newest.size() == limit && !events.isEmpty()
                    && !time.apply(events.get(0)).isAfter(time.apply(newest.peek()));
                if (from <= floor.get(partition) || full) {
                    cursor.remove(partition);
                } else {
                    cursor.put(partition, from);
                }
            }
        }
        final List<T> result = new ArrayList<>(newest);
        result.sort(Comparator.comparing(time).reversed());
        return new Latest<>(result, scanned, complete);
    }

    /** What {@link #latest} found. */
    record Latest<T>(List<T> events, long scanned, boolean complete) {
    }

    /** The decodable events at offsets {@code [from, to)} of one partition, in offset order. */
    private List<T> range(final TopicPartition partition, final long from, final long to) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        final List<T> events = new ArrayList<>((int) Math.min(to - from, 10_000));
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (call(() -> consumer.position(partition, TIMEOUT)) < to) {
            if (System.nanoTime() > deadline) {
                throw new UserException("timed out reading the audit topic '" + topic + "'");
            }
            for (final ConsumerRecord<byte[], byte[]> record : call(() -> consumer.poll(POLL))) {
                if (record.offset() < to) {
                    events.addAll(decode(record));
                }
            }
        }
        return events;
    }

    /** Reads to the end the topic has now; gives up when reading makes no progress for a while. */
    void toEnd(final Consumer<T> sink, final Runnable afterBatch) {
        final Map<TopicPartition, Long> end = new HashMap<>(call(() -> consumer.endOffsets(partitions, TIMEOUT)));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!reachedEnd(end)) {
            if (System.nanoTime() > deadline) {
                throw new UserException("timed out reading the audit topic '" + topic + "'");
            }
            if (batch(sink, afterBatch) > 0) {
                deadline = System.nanoTime() + TIMEOUT.toNanos();
            }
        }
    }

    /** Reads until {@code stop} says so or the thread is interrupted (the interrupt is kept). */
    void follow(final Consumer<T> sink, final Runnable afterBatch, final BooleanSupplier stop) {
        try {
            while (!stop.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                batch(sink, afterBatch);
            }
        } catch (final InterruptException e) {
            // The consumer cleared the interrupt when it threw; keep it for the caller.
            Thread.currentThread().interrupt();
        }
    }

    /** One poll; returns how many records it read. */
    private int batch(final Consumer<T> sink, final Runnable afterBatch) {
        final ConsumerRecords<byte[], byte[]> records = call(() -> consumer.poll(POLL));
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            decode(record).forEach(sink);
        }
        afterBatch.run();
        return records.count();
    }

    /** The record's events; none when it does not decode (said on {@code err}). */
    private List<? extends T> decode(final ConsumerRecord<byte[], byte[]> record) {
        try {
            return codec.apply(record.value());
        } catch (final AvroDecodingException e) {
            err.println("sluice: warning: skipping " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + ": " + SluiceCommand.oneLine(e.getMessage()));
            err.flush();
            return List.of();
        }
    }

    private boolean reachedEnd(final Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(partition ->
            call(() -> consumer.position(partition.getKey(), TIMEOUT)) >= partition.getValue());
        return end.isEmpty();
    }

    private List<TopicPartition> partitions() {
        final List<PartitionInfo> found = consumer.partitionsFor(topic, TIMEOUT);
        if (found == null || found.isEmpty()) {
            throw new UserException("the audit topic '" + topic + "' does not exist (has Sluice run with this "
                + "topology? see --topology and --topic)");
        }
        return found.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Kafka's failures as one-line user errors; an interrupt passes through to {@link #follow}. */
    private <R> R call(final java.util.function.Supplier<R> kafka) {
        try {
            return kafka.get();
        } catch (final InterruptException e) {
            throw e;
        } catch (final KafkaException e) {
            throw ConfigTopicClient.unreachable(properties, e);
        }
    }

    @Override
    public void close() {
        // An interrupted thread would make the consumer log its close as failed: close with the flag cleared.
        final boolean interrupted = Thread.interrupted();
        try {
            consumer.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.sluice.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys of the key topic, as this process has read them: every instance (and every {@code sluice keys}
 * command) reads the whole compacted topic, then, when {@link #follow followed}, every change within moments. A
 * tombstone removes a key: shredded. A record that is not a data key is logged and skipped, never applied.
 * Thread-safe.
 */
public final class KeyStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStore.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Map<String, DekRecord> byId = new ConcurrentHashMap<>();
    /** The current key of each (keyring, scope value): read per record, so kept rather than searched. */
    private final Map<String, DekRecord> currentByScope = new ConcurrentHashMap<>();
    private final List<Consumer<String>> removals = new CopyOnWriteArrayList<>();
    private final List<String> invalid = new CopyOnWriteArrayList<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread follower;

    public KeyStore(final String topic) {
        this.topic = topic;
    }

    /**
     * Reads the topic to its end offsets.
     *
     * @throws KeyringException when the topic cannot be read within {@code timeout}
     */
    public KeyStore load(final Properties client, final Duration timeout) {
        consumer = new KafkaConsumer<>(consumerProperties(client), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new KeyringException("the key topic '" + topic + "' does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new KeyringException("cannot read the key topic '" + topic + "' within " + timeout.toSeconds() + " s");
                }
                consumer.poll(POLL).forEach(this::apply);
            }
        } catch (final KeyringException e) {
            consumer.close();
            throw e;
        } catch (final RuntimeException e) {
            consumer.close();
            throw new KeyringException("cannot read the key topic '" + topic + "': " + e.getMessage(), e);
        }
        return this;
    }

    /** From now on, applies every change of the topic in a background thread, until {@link #close}. */
    public synchronized void follow() {
        follower = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(POLL).forEach(this::apply);
                }
            } catch (final WakeupException e) {
                // closing
            } catch (final RuntimeException e) {
                LOG.error("Stopped reading the key topic {}: {}", topic, e.toString());
            }
        }, "sluice-key-topic");
        follower.setDaemon(true);
        follower.start();
    }

    private void apply(final ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            invalid("a key record without a key at " + record.partition() + "@" + record.offset());
            return;
        }
        if (record.value() == null) {
            remove(DekRecord.dekIdOf(record.key()));
            return;
        }
        try {
            put(DekRecord.fromJson(record.key(), record.value()));
        } catch (final KeyringException e) {
            invalid(e.getMessage() + " (at " + record.partition() + "@" + record.offset() + ")");
        }
    }

    private void invalid(final String reason) {
        invalid.add(reason);
        LOG.warn("Skipped an invalid record of the key topic {}: {}", topic, reason);
    }

    /** Adds (or replaces: rewrapped) a key; also used for a key this process just published. */
    synchronized void put(final DekRecord record) {
        byId.put(record.dekId(), record);
        currentByScope.merge(scopeKey(record.keyring(), record.scopeValue()), record,
            (old, candidate) -> old.dekId().equals(candidate.dekId()) || ORDER.compare(candidate, old) > 0 ? candidate : old);
    }

    private synchronized void remove(final String dekId) {
        final DekRecord removed = byId.remove(dekId);
        if (removed == null) {
            return;
        }
        final String scope = scopeKey(removed.keyring(), removed.scopeValue());
        currentByScope.remove(scope);
        byId.values().stream().filter(record -> record.keyring().equals(removed.keyring())
            && record.scopeValue().equals(removed.scopeValue())).max(ORDER)
            .ifPresent(record -> currentByScope.put(scope, record));
        removals.forEach(listener -> listener.accept(dekId));
    }

    private static String scopeKey(final String keyring, final String scopeValue) {
        return keyring + '\0' + scopeValue;
    }

    /** Called with the DEK id whenever a key is removed (shredded). */
    public void onRemoval(final Consumer<String> listener) {
        removals.add(listener);
    }

    public Optional<DekRecord> find(final String dekId) {
        return Optional.ofNullable(byId.get(dekId));
    }

    /** The newest version of (keyring, scope value); of two keys of one version (made at once by two instances), the lower id. */
    public Optional<DekRecord> current(final String keyring, final String scopeValue) {
        return Optional.ofNullable(currentByScope.get(scopeKey(keyring, scopeValue)));
    }

    private static final Comparator<DekRecord> ORDER = Comparator.comparingInt(DekRecord::version)
        .thenComparing(DekRecord::dekId, Comparator.reverseOrder());

    /** Every key, by keyring, scope value and version. */
    public List<DekRecord> all() {
        final List<DekRecord> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(DekRecord::keyring).thenComparing(DekRecord::scopeValue)
            .thenComparingInt(DekRecord::version).thenComparing(DekRecord::dekId));
        return all;
    }

    /** The records that were skipped, with the reason. */
    public Collection<String> invalid() {
        return List.copyOf(invalid);
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        final Thread thread;
        synchronized (this) {
            thread = follower;
        }
        if (consumer == null) {
            return;
        }
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private static Properties consumerProperties(final Properties client) {
        final Properties properties = new Properties();
        properties.putAll(client);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A missing key topic is an error, not something to create with the broker's defaults (not compacted).
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return properties;
    }
}

package io.sluice.keys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.spi.DataKeys;
import io.sluice.spi.RecordContext;

/**
 * The keyrings of a running instance: their KEKs (read once, at start), the data keys of the key topic (followed),
 * and the unwrapped data keys this instance used (cached). A record to encrypt gets the current data key of its
 * keyring and scope value; the first record of a scope value makes the key, which is published to the key topic —
 * and acknowledged by the brokers — before anything is encrypted with it, so no committed record can name a key
 * the topic does not hold. Decryption finds the key a ciphertext names; a shredded or unknown key is absent.
 */
public final class Keyrings implements DataKeys, AutoCloseable {

    /** Bounds the unwrapped keys in memory; when full the cache starts over (an unwrap costs microseconds). */
    static final int MAX_CACHED_KEYS = 65_536;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Keyrings.class);

    private final Map<String, KeyringSpec> specs;
    private final Map<String, Kek> keks;
    private final KeyStore store;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, SecretKeySpec> unwrapped = new ConcurrentHashMap<>();

    Keyrings(final Map<String, KeyringSpec> specs, final Map<String, Kek> keks, final KeyStore store,
             final KafkaProducer<byte[], byte[]> producer) {
        this.specs = Map.copyOf(specs);
        this.keks = Map.copyOf(keks);
        this.store = store;
        this.producer = producer;
        // A shredded key must not stay usable from this cache: that is the point of shredding.
        store.onRemoval(unwrapped::remove);
    }

    /**
     * Reads every keyring's KEKs and the key topic, then follows the topic.
     *
     * @param follow whether to apply the topic's changes from now on (instances do; a one-off command does not)
     * @throws KeyringException with one line: a KEK that cannot be read, a key topic that cannot be read
     */
    public static Keyrings open(final String keyTopic, final Map<String, KeyringSpec> specs, final Properties client,
                                final Function<String, String> environment, final boolean follow) {
        final Map<String, Kek> keks = new LinkedHashMap<>();
        specs.values().forEach(spec -> keks.put(spec.name(), spec.kek(environment)));
        final KeyStore store = new KeyStore(keyTopic).load(client, LOAD_TIMEOUT);
        if (follow) {
            store.follow();
        }
        final Properties producerProperties = new Properties();
        producerProperties.putAll(client);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new Keyrings(specs, keks, store, new KafkaProducer<>(producerProperties, new ByteArraySerializer(),
            new ByteArraySerializer()));
    }

    @Override
    public boolean has(final String keyring) {
        return specs.containsKey(keyring);
    }

    public KeyStore store() {
        return store;
    }

    /**
     * The key to encrypt a record with: the current one of its keyring and scope value, made now when there is none.
     *
     * @throws KeyringException when the keyring is unknown or a new key cannot be published (fail closed)
     */
    @Override
    public DataKey forEncryption(final String keyring, final RecordContext context) {
        final KeyringSpec spec = spec(keyring);
        final String scopeValue = spec.dekScope().valueOf(context);
        final Optional<DekRecord> current = store.current(keyring, scopeValue);
        final DekRecord record = current.isPresent() ? current.get() : create(spec, scopeValue, false);
        return new DataKey(record.dekId(), unwrap(record));
    }

    /**
     * The key a ciphertext names, or empty when the key topic does not hold it (shredded, or never made here).
     *
     * @throws KeyringException when the key is there but cannot be unwrapped (its KEK is no longer listed)
     */
    @Override
    public Optional<DataKey> forDecryption(final String dekId) {
        final SecretKeySpec cached = unwrapped.get(dekId);
        if (cached != null) {
            return Optional.of(new DataKey(dekId, cached));
        }
        return store.find(dekId).map(record -> new DataKey(dekId, unwrap(record)));
    }

    /** A new version of (keyring, scope value), used by new records from now on ({@code sluice keys rotate}). */
    public DekRecord rotate(final String keyring, final String scopeValue) {
        return create(spec(keyring), scopeValue, true);
    }

    /** Republishes a key wrapped with its keyring's newest KEK ({@code sluice keys rewrap}); the key stays the same. */
    public DekRecord rewrap(final DekRecord record) {
        final DekRecord rewrapped = record.rewrapped(kek(record.keyring()));
        publish(rewrapped);
        return rewrapped;
    }

    /** Tombstones every key of (keyring, user): crypto-shredding. Returns the keys shredded. */
    public List<DekRecord> shred(final String keyring, final String user) {
        final List<DekRecord> shredded = store.all().stream()
            .filter(record -> record.keyring().equals(keyring) && record.scopeValue().equals(user)).toList();
        for (final DekRecord record : shredded) {
            try {
                producer.send(new ProducerRecord<>(store.topic(), record.recordKey(), null))
                    .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final ExecutionException | TimeoutException e) {
                throw new KeyringException("cannot tombstone data key '" + record.dekId() + "': "
                    + (e.getCause() == null ? e.toString() : e.getCause().getMessage()), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyringException("interrupted while shredding", e);
            }
        }
        return shredded;
    }

    /** The id of the KEK new keys of that keyring are wrapped with. */
    public String newestKekId(final String keyring) {
        return kek(keyring).newest().id();
    }

    private synchronized DekRecord create(final KeyringSpec spec, final String scopeValue, final boolean rotate) {
        final Optional<DekRecord> current = store.current(spec.name(), scopeValue);
        if (current.isPresent() && !rotate) {
            return current.get(); // made by another stream thread meanwhile
        }
        final int version = current.map(record -> record.version() + 1).orElse(1);
        final DekRecord.Created created = DekRecord.create(spec.name(), spec.dekScope(), scopeValue, version,
            kek(spec.name()), System.currentTimeMillis());
        publish(created.record());
        unwrapped.put(created.record().dekId(), created.key());
        store.put(created.record());
        LOG.info("Made data key {} (keyring {}, version {})", created.record().dekId(), spec.name(), version);
        return created.record();
    }

    /** Sends a key record and waits until the brokers acknowledged it. */
    private void publish(final DekRecord record) {
        try {
            producer.send(new ProducerRecord<>(store.topic(), record.recordKey(), record.toJson()))
                .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new KeyringException("cannot publish data key '" + record.dekId() + "' to the key topic '"
                + store.topic() + "': " + (e.getCause() == null ? e.toString() : e.getCause().getMessage()), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyringException("interrupted while publishing data key '" + record.dekId() + "'", e);
        }
    }

    private SecretKeySpec unwrap(final DekRecord record) {
        final SecretKeySpec cached = unwrapped.get(record.dekId());
        if (cached != null) {
            return cached;
        }
        final SecretKeySpec key = record.unwrap(kek(record.keyring()));
        if (unwrapped.size() >= MAX_CACHED_KEYS) {
            unwrapped.clear();
        }
        unwrapped.put(record.dekId(), key);
        return key;
    }

    private KeyringSpec spec(final String keyring) {
        final KeyringSpec spec = specs.get(keyring);
        if (spec == null) {
            throw new KeyringException("keyring '" + keyring + "' is not in the topology (keyrings: " + specs.keySet() + ")");
        }
        return spec;
    }

    private Kek kek(final String keyring) {
        final Kek kek = keks.get(keyring);
        if (kek == null) {
            throw new KeyringException("keyring '" + keyring + "' is not in the topology (keyrings: " + specs.keySet() + ")");
        }
        return kek;
    }

    @Override
    public void close() {
        try {
            producer.close(Duration.ofSeconds(5));
        } finally {
            store.close();
            unwrapped.clear();
        }
    }
}

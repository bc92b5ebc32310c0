package io.sluice.topology;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.bindings.ConfigRecord;

/**
 * Counters of config records applied and rejected by this instance, for metrics and logs, and the latest invalid
 * record of each identity (what {@code bindings list} shows as invalid), for the console.
 */
public final class ConfigStatus {

    /** Invalid records kept for the console; beyond this many identities only the counter grows. */
    public static final int MAX_INVALID_KEPT = 1_000;

    private final Map<ByteBuffer, ConfigRecord.Invalid> invalidRecords = new ConcurrentHashMap<>();

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private volatile long lastChangeMillis;

    void applied() {
        applied.incrementAndGet();
        lastChangeMillis = System.currentTimeMillis();
    }

    void deleted() {
        deleted.incrementAndGet();
        lastChangeMillis = System.currentTimeMillis();
    }

    void invalid() {
        invalid.incrementAndGet();
    }

    /** The identity's latest record is invalid: kept until a valid record or a tombstone of that key follows. */
    void invalid(final byte[] key, final ConfigRecord.Invalid record) {
        invalid();
        final ByteBuffer identity = identity(key);
        if (invalidRecords.size() < MAX_INVALID_KEPT || invalidRecords.containsKey(identity)) {
            invalidRecords.put(identity, record);
        }
    }

    /** A valid record or a tombstone of this key: its identity's latest record is no longer invalid. */
    void settled(final byte[] key) {
        if (!invalidRecords.isEmpty()) {
            invalidRecords.remove(identity(key));
        }
    }

    /** The latest record of each identity whose latest record is invalid, by the raw key (a snapshot). */
    public Map<ByteBuffer, ConfigRecord.Invalid> invalidRecords() {
        return Map.copyOf(invalidRecords);
    }

    private static ByteBuffer identity(final byte[] key) {
        return ByteBuffer.wrap(key == null ? new byte[0] : key.clone());
    }

    public long appliedCount() {
        return applied.get();
    }

    public long deletedCount() {
        return deleted.get();
    }

    public long invalidCount() {
        return invalid.get();
    }

    /** When a binding was last added, replaced or deleted (epoch ms), or 0. */
    public long lastChangeMillis() {
        return lastChangeMillis;
    }
}

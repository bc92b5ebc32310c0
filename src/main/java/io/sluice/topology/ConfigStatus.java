package io.sluice.topology;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of config records applied and rejected by this instance, for metrics and logs. */
public final class ConfigStatus {

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

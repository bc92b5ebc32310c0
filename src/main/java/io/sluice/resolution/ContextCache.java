package io.sluice.resolution;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Resolved chains by context, bounded by second-chance (CLOCK) eviction: when a store finds the cache full,
 * one thread sweeps it, dropping entries not hit since the previous sweep and clearing the mark of the others,
 * until an eighth of the room is free. The bound is soft: threads storing while another sweeps may overshoot it
 * by one entry each. Lookups are lock-free and allocate nothing. {@link IndexedResolver} decides when storing is
 * safe; this class only keeps the map and its counters.
 */
final class ContextCache {

    private final ConcurrentHashMap<Context, Entry> entries;
    private final int maxSize;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final LongAdder hits = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder invalidations = new LongAdder();

    ContextCache(final int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0, was " + maxSize);
        }
        this.maxSize = maxSize;
        // Not presized to the bound: a sparse table spreads a small working set over cold cache lines.
        this.entries = new ConcurrentHashMap<>();
    }

    /** The cached chain, counted as a hit, or null. */
    Chain get(final Context context) {
        final Entry entry = entries.get(context);
        if (entry == null) {
            return null;
        }
        entry.markUsed();
        hits.increment();
        return entry.chain;
    }

    /** Like {@link #get} without counting: the re-check of a miss. */
    Chain peek(final Context context) {
        final Entry entry = entries.get(context);
        return entry == null ? null : entry.chain;
    }

    void store(final Context context, final Chain chain) {
        if (maxSize == 0) {
            return;
        }
        if (entries.size() >= maxSize) {
            evict();
        }
        entries.put(context, new Entry(chain));
    }

    /** Drops the cached contexts the predicate selects. */
    void invalidate(final Predicate<Context> affected) {
        for (final Iterator<Context> contexts = entries.keySet().iterator(); contexts.hasNext(); ) {
            if (affected.test(contexts.next())) {
                contexts.remove();
                invalidations.increment();
            }
        }
    }

    void clear() {
        invalidations.add(entries.size());
        entries.clear();
    }

    long hits() {
        return hits.sum();
    }

    long evictions() {
        return evictions.sum();
    }

    long invalidations() {
        return invalidations.sum();
    }

    int size() {
        return entries.size();
    }

    private void evict() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            final int target = maxSize - Math.max(1, maxSize / 8);
            // Two passes at most: the first clears the marks it does not evict, so the second always can.
            for (int pass = 0; pass < 2 && entries.size() > target; pass++) {
                sweep(entries.size() - target);
            }
        } finally {
            sweeping.set(false);
        }
    }

    private void sweep(final int excess) {
        int evicted = 0;
        for (final Iterator<Entry> all = entries.values().iterator(); all.hasNext() && evicted < excess; ) {
            final Entry entry = all.next();
            if (entry.used) {
                entry.used = false;
            } else {
                all.remove();
                evicted++;
            }
        }
        evictions.add(evicted);
    }

    private static final class Entry {

        final Chain chain;
        // A hint for eviction only: a plain field, racy on purpose (a lost mark costs one extra miss at worst).
        boolean used;

        Entry(final Chain chain) {
            this.chain = chain;
        }

        void markUsed() {
            // Read before write: a hit on a marked entry does not dirty the cache line other readers share.
            if (!used) {
                used = true;
            }
        }
    }
}

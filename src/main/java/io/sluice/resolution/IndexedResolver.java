package io.sluice.resolution;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;

/**
 * The resolver of the hot path: {@link Resolution} over a scope index, with a cache by context in front.
 *
 * <p>Thread safety: any number of threads may resolve while others mutate. A cache hit takes no lock. A miss
 * computes and stores its chain under the read lock; mutations take the write lock and, before releasing it,
 * drop every cached context the changed binding's scope matches. So a chain is only ever stored while no
 * mutation runs, and it was computed from the index as it is when stored; every chain still cached when a
 * mutation returns is one that mutation cannot change.
 *
 * <p>Cache: at most {@code maxCachedContexts} contexts (soft bound, see {@link ContextCache}); entries not hit
 * recently are evicted first. A change to one binding drops only the contexts its scope matches (a binding that
 * does not match a context cannot change that context's chain); a global binding drops them all, and so does
 * {@link #load}.
 *
 * <p>Equal chains are one object: contexts that resolve to the same bindings (most users of a vcluster) share
 * their {@link Chain}, so what is kept per chain downstream (the audit's encoded chain, a batch's chain table) is
 * kept once for all of them, however many users there are.
 */
public final class IndexedResolver implements Resolver {

    /**
     * Roughly 250 bytes per context with a chain of 15 (key, map node, entry, chain): about 33 MB when full. As large
     * as the identity cache in front of it (131,072), so that 100,000 active users are resolved from the cache.
     */
    public static final int DEFAULT_MAX_CACHED_CONTEXTS = 1 << 17;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final BindingIndex index = new BindingIndex();
    private final ContextCache cache;
    private final TopicMatches topicMatches = new TopicMatches();
    private final LongAdder misses = new LongAdder();
    /** Bumped by every mutation, under the write lock, once the cache is invalidated: see {@link #generation}. */
    private volatile long generation = Generations.next();
    /** The chains of cached contexts, by their bindings (compared by identity: the index's objects). */
    private final ConcurrentHashMap<Bindings, Chain> chains = new ConcurrentHashMap<>();
    private final int maxChains;

    public IndexedResolver() {
        this(DEFAULT_MAX_CACHED_CONTEXTS);
    }

    /** @param maxCachedContexts the cache bound; 0 disables the cache */
    public IndexedResolver(final int maxCachedContexts) {
        this.cache = new ContextCache(maxCachedContexts);
        this.maxChains = Math.max(1, maxCachedContexts);
    }

    @Override
    public Chain resolve(final Context context) {
        final Chain cached = cache.get(context);
        return cached != null ? cached : resolveAndCache(context);
    }

    /**
     * Read before {@link #resolve}: a chain resolved after reading a value is the chain for as long as this returns
     * the same value. A mutation bumps it only after it dropped the cached contexts it changes, so a resolution
     * that read the bumped value sees the change.
     */
    @Override
    public long generation() {
        return generation;
    }

    /** Inserts or replaces the binding with that id; returns the one it replaced. */
    public Optional<Binding> put(final Binding binding) {
        final Lock write = lock.writeLock();
        write.lock();
        try {
            final Binding previous = index.put(binding);
            // Compacted topics replay identical records: those change no chain.
            if (!binding.equals(previous)) {
                invalidate(binding.scope());
                generation = Generations.next();
            }
            return Optional.ofNullable(previous);
        } finally {
            write.unlock();
        }
    }

    /** Removes the binding with that id (a tombstone); returns it if there was one. */
    public Optional<Binding> remove(final BindingId id) {
        final Lock write = lock.writeLock();
        write.lock();
        try {
            final Binding removed = index.remove(id);
            if (removed != null) {
                invalidate(id.scope());
                generation = Generations.next();
            }
            return Optional.ofNullable(removed);
        } finally {
            write.unlock();
        }
    }

    /**
     * Whether this binding version is the one in force now: not replaced by another version, not deleted. A chain
     * resolved just before a change still holds the old version for the records it was resolved for.
     */
    public boolean inForce(final Binding binding) {
        final Lock read = lock.readLock();
        read.lock();
        try {
            return binding.equals(index.get(binding.id()));
        } finally {
            read.unlock();
        }
    }

    /** Replaces every binding with these (e.g. the config store's contents after a restore); clears the cache. */
    public void load(final Collection<Binding> bindings) {
        final Lock write = lock.writeLock();
        write.lock();
        try {
            index.clear();
            for (final Binding binding : bindings) {
                index.put(binding);
            }
            cache.clear();
            chains.clear();
            generation = Generations.next();
        } finally {
            write.unlock();
        }
    }

    public ResolverStats stats() {
        return new ResolverStats(cache.hits(), misses.sum(), cache.evictions(), cache.invalidations(), cache.size(),
            bindingCount());
    }

    private int bindingCount() {
        final Lock read = lock.readLock();
        read.lock();
        try {
            return index.size();
        } finally {
            read.unlock();
        }
    }

    private Chain resolveAndCache(final Context context) {
        final Lock read = lock.readLock();
        read.lock();
        try {
            misses.increment();
            // Another reader may have stored it while this one waited for the lock.
            final Chain raced = cache.peek(context);
            if (raced != null) {
                return raced;
            }
            final Chain chain = shared(index.select(context).chain(context.topic(), topicMatches));
            cache.store(context, chain);
            return chain;
        } finally {
            read.unlock();
        }
    }

    /** The one object for chains with these bindings. Caller holds the read lock. */
    private Chain shared(final Chain chain) {
        if (chain.isEmpty()) {
            return Chain.EMPTY;
        }
        if (chains.size() >= maxChains) {
            // Only as many distinct chains as contexts are cached, unless chains churn: start again.
            chains.clear();
        }
        final Chain known = chains.putIfAbsent(new Bindings(chain.interceptors()), chain);
        return known != null ? known : chain;
    }

    // Caller holds the write lock.
    private void invalidate(final BindingScope scope) {
        // A changed binding is a new object: chains with the old one are no longer shared by new contexts.
        chains.clear();
        if (scope.equals(BindingScope.GLOBAL)) {
            cache.clear();
        } else {
            cache.invalidate(context -> Resolution.matches(scope, context));
        }
    }

    /** A chain's bindings as a map key: the same binding objects in the same order. */
    private record Bindings(List<Binding> list) {

        @Override
        public boolean equals(final Object other) {
            if (!(other instanceof Bindings that) || that.list.size() != list.size()) {
                return false;
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) != that.list.get(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (final Binding binding : list) {
                hash = 31 * hash + System.identityHashCode(binding);
            }
            return hash;
        }
    }
}

package io.sluice.resolution;

/**
 * Counters of an {@link IndexedResolver}, for metrics. Counts are cumulative since creation.
 *
 * @param hits            resolutions answered from the cache
 * @param misses          resolutions computed from the index
 * @param evictions       cached contexts dropped to respect the size bound
 * @param invalidations   cached contexts dropped because a binding that matches them changed
 * @param cachedContexts  contexts cached now
 * @param bindings        bindings indexed now
 */
public record ResolverStats(long hits, long misses, long evictions, long invalidations, int cachedContexts,
                            int bindings) {
}

package io.sluice.resolution;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One sequence of {@link Resolver#generation() generations} for every resolver in the JVM, so that no two resolvers
 * ever show the same one: the identity cache, which remembers chains by generation, is shared by every application
 * in a JVM (tests and benchmarks run several).
 */
final class Generations {

    private static final AtomicLong LAST = new AtomicLong();

    private Generations() {
    }

    /** A generation no resolver had before. */
    static long next() {
        return LAST.incrementAndGet();
    }
}

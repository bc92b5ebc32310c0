package io.sluice.spi;

import java.util.function.LongSupplier;

/**
 * Time and chance as an interceptor instance should see them. Under {@code sluice run}: the system's monotonic
 * clock and no seed (a plugin whose config gives no seed picks at random). Under {@code sluice test}: a clock that
 * stands still and a fixed seed, so that a policy test gives the same result on every run. Plugins that count time
 * or draw lots take them from here rather than from {@link System#nanoTime()} or a random generator of their own.
 *
 * @param nanoClock monotonic nanoseconds, as {@link System#nanoTime()} gives them
 * @param seed      the seed for plugins whose config gives none, or {@code null}: random
 */
public record ClockAndSeed(LongSupplier nanoClock, Long seed) {

    /** What {@code sluice run} gives: the system clock, no seed. */
    public static final ClockAndSeed SYSTEM = new ClockAndSeed(System::nanoTime, null);

    public ClockAndSeed {
        if (nanoClock == null) {
            throw new IllegalArgumentException("a clock is required");
        }
    }
}

package io.sluice.chain;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs interceptor hooks guarded: an exception is caught, counted per interceptor and logged — at most once
 * per interceptor every {@link #LOG_INTERVAL_MS}, so a plugin failing on every record cannot flood the log.
 * Also counts every hook call and the time spent in it, per interceptor, for metrics.
 */
public final class HookGuard {

    static final long LOG_INTERVAL_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(HookGuard.class);

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();
    private final Map<String, Invocations> invocations = new ConcurrentHashMap<>();

    /** Hook calls of one interceptor name and the time spent in them. */
    public static final class Invocations {
        private final LongAdder calls = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        /** One hook call that took {@code elapsed} nanoseconds. */
        void record(final long elapsed) {
            calls.increment();
            nanos.add(elapsed);
        }

        /** One hook call that was not timed (its time is estimated from the calls that were). */
        void recordUntimed() {
            calls.increment();
        }

        public long calls() {
            return calls.sum();
        }

        public long nanos() {
            return nanos.sum();
        }
    }

    /** A hook body that may throw anything. */
    @FunctionalInterface
    public interface Hook {
        void run() throws Exception;
    }

    /**
     * Runs a hook; returns {@code null} when it completed, or the exception's one-line message when it threw.
     * Errors the JVM cannot recover from (out of memory) are not caught.
     */
    public String guard(final String interceptor, final String hook, final Hook body) {
        final Invocations stats = invocations.computeIfAbsent(interceptor, name -> new Invocations());
        final long start = System.nanoTime();
        try {
            body.run();
            return null;
        } catch (final VirtualMachineError fatal) {
            throw fatal;
        } catch (final Throwable failure) {
            return failed(interceptor, hook, failure);
        } finally {
            stats.calls.increment();
            stats.nanos.add(System.nanoTime() - start);
        }
    }

    /**
     * The counters of one interceptor name, for a caller that runs its hooks unguarded-fast (the chain runner: a
     * {@code try} costs nothing until something throws, a lambda and a map lookup per hook would).
     */
    Invocations invocationsOf(final String interceptor) {
        return invocations.computeIfAbsent(interceptor, name -> new Invocations());
    }

    /** Hook calls per interceptor name (a live view). */
    public Map<String, Invocations> invocations() {
        return java.util.Collections.unmodifiableMap(invocations);
    }

    /** Counts and (rate-limited) logs a failure; returns its one-line message. */
    public String failed(final String interceptor, final String hook, final Throwable failure) {
        counts.computeIfAbsent(interceptor, name -> new LongAdder()).increment();
        final String message = describe(failure);
        final AtomicLong last = lastLogged.computeIfAbsent(interceptor, name -> new AtomicLong());
        final long now = System.currentTimeMillis();
        final long previous = last.get();
        if (now - previous >= LOG_INTERVAL_MS && last.compareAndSet(previous, now)) {
            LOG.warn("interceptor '{}' failed in {}: {} ({} failures so far; logged at most every {} s)",
                interceptor, hook, message, count(interceptor), LOG_INTERVAL_MS / 1000);
        }
        return message;
    }

    /** Failures counted for an interceptor name since start. */
    public long count(final String interceptor) {
        final LongAdder count = counts.get(interceptor);
        return count == null ? 0 : count.sum();
    }

    /** Failure counts per interceptor name. */
    public Map<String, Long> counts() {
        final Map<String, Long> snapshot = new java.util.TreeMap<>();
        counts.forEach((name, count) -> snapshot.put(name, count.sum()));
        return snapshot;
    }

    static String describe(final Throwable failure) {
        final String message = failure.getMessage();
        final String type = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message.lines().findFirst().orElse("");
    }
}

package io.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * A time limit for every jqwik property (registered for all of them in {@code META-INF/services}): jqwik has no
 * timeout of its own and JUnit Jupiter's does not reach it, so a property that hangs would hold the build.
 *
 * <p>The property runs on jqwik's own thread (jqwik's inner hooks and stores are bound to it: a property moved to
 * another thread fails at once with {@code OutsideJqwikException}). A watchdog interrupts that thread at the limit,
 * which ends a property waiting or sleeping; one spinning without looking at interrupts is ended by the forked JVM's
 * own limit (surefire's {@code forkedProcessTimeoutInSeconds}).
 */
public final class PropertyTimeout implements AroundPropertyHook {

    /** As a Jupiter test's default in the surefire configuration. */
    static final Duration DEFAULT = Duration.ofMinutes(3);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        final Thread thread = new Thread(task, "property timeout");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration limit;

    public PropertyTimeout() {
        this(DEFAULT);
    }

    PropertyTimeout(final Duration limit) {
        this.limit = limit;
    }

    @Override
    public PropertyExecutionResult aroundProperty(final PropertyLifecycleContext context,
                                                  final PropertyExecutor property) throws Throwable {
        final Thread running = Thread.currentThread();
        final AtomicBoolean late = new AtomicBoolean();
        final ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            late.set(true);
            running.interrupt();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
        PropertyExecutionResult result = null;
        Throwable failure = null;
        try {
            result = property.execute();
        } catch (final Throwable thrown) {
            failure = thrown;
        }
        if (!watchdog.cancel(false)) {
            // It fired, perhaps just now: let its interrupt land before clearing it, not in the next property.
            while (!watchdog.isDone()) {
                Thread.onSpinWait();
            }
        }
        if (late.get()) {
            throw tooLate(context);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    private AssertionError tooLate(final PropertyLifecycleContext context) {
        Thread.interrupted(); // the watchdog's interrupt is ours, not the next property's
        return new AssertionError("property " + (context == null ? "" : "'" + context.label() + "' ")
            + "did not finish within " + (limit.toSeconds() > 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms"));
    }

    /** Registered once for the engine: reach every property under it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Outermost: the limit covers the property's own hooks too. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }
}

package io.sluice.testkit;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * A time limit for every jqwik property (registered for all of them in {@code META-INF/services}): jqwik has no
 * timeout of its own and JUnit Jupiter's does not reach it, so a property that hangs would hold the build.
 */
public final class PropertyTimeout implements AroundPropertyHook {

    /** As a Jupiter test's default in the surefire configuration. */
    static final Duration DEFAULT = Duration.ofMinutes(3);

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
        final FutureTask<PropertyExecutionResult> run = new FutureTask<>(property::execute);
        final Thread thread = new Thread(run, "property " + (context == null ? "" : context.label()));
        thread.setDaemon(true);
        thread.start();
        try {
            return run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final TimeoutException e) {
            thread.interrupt();
            throw new AssertionError("property " + (context == null ? "" : "'" + context.label() + "' ")
                + "did not finish within " + (limit.toSeconds() > 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms"));
        } catch (final ExecutionException e) {
            throw e.getCause();
        }
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

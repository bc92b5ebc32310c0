package io.sluice.chain;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.sluice.bindings.Binding;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.Interceptor;
import io.sluice.spi.OnError;

/**
 * One interceptor instance for one binding version. Counts the records it has seen in {@code onSend} whose
 * acknowledgement is still due, so that an instance retired by a config change is closed only after it has
 * acknowledged every record it saw.
 */
public final class InstanceHandle {

    /** Whether an interceptor class overrides {@code onConsume}; computed once per class. */
    private static final ClassValue<Boolean> CONSUMES = overrides("onConsume", List.class);
    /** Whether an interceptor class overrides {@code onAcknowledgement}; computed once per class. */
    private static final ClassValue<Boolean> ACKNOWLEDGES =
        overrides("onAcknowledgement", Acknowledgement.class, Exception.class);

    private final Binding binding;
    private final Interceptor interceptor;
    private final OnError onError;
    private final HookGuard errors;
    private final HookGuard.Invocations invocations;
    /** Records in flight, plus one while the instance is current. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final boolean oneOff;
    private final boolean observesConsume;
    private final boolean observesAcknowledgements;

    InstanceHandle(final Binding binding, final Interceptor interceptor, final OnError onError,
                   final HookGuard errors, final boolean oneOff) {
        this.binding = binding;
        this.oneOff = oneOff;
        this.interceptor = interceptor;
        this.onError = onError;
        this.errors = errors;
        this.invocations = errors.invocationsOf(binding.name());
        this.observesConsume = CONSUMES.get(interceptor.getClass());
        this.observesAcknowledgements = ACKNOWLEDGES.get(interceptor.getClass());
    }

    /**
     * Whether this instance serves one record of a chain resolved just before its binding version was replaced or
     * deleted: it is not registered as the binding's instance, and closes after that record's acknowledgement.
     */
    boolean isOneOff() {
        return oneOff;
    }

    /**
     * Whether the interceptor implements {@code onConsume}. The interface's default does nothing, and calling it
     * for every fetched record would cost a context resolution each: the runtime calls only those that do.
     */
    public boolean observesConsume() {
        return observesConsume;
    }

    /** Whether the interceptor implements {@code onAcknowledgement}; the runtime calls only those that do. */
    public boolean observesAcknowledgements() {
        return observesAcknowledgements;
    }

    /** This instance's hook counters (those of its interceptor name). */
    HookGuard.Invocations invocations() {
        return invocations;
    }

    public Binding binding() {
        return binding;
    }

    public Interceptor interceptor() {
        return interceptor;
    }

    /** The binding's {@code onError}, or the plugin's default. */
    public OnError onError() {
        return onError;
    }

    /**
     * A record is about to enter {@code onSend}: its acknowledgement is now due. Fails when the instance was
     * retired and has already closed (a config change raced with this record): take a fresh instance then.
     */
    public boolean tryRecordInFlight() {
        int current;
        while ((current = references.get()) > 0) {
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A record's acknowledgement was delivered. */
    public void recordDone() {
        release();
    }

    /** The binding was replaced or deleted, or the application stops: close once no record is in flight. */
    void retire() {
        release();
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            errors.guard(binding.name(), "close", interceptor::close);
        }
    }

    private static ClassValue<Boolean> overrides(final String hook, final Class<?>... parameters) {
        return new ClassValue<>() {
            @Override
            protected Boolean computeValue(final Class<?> type) {
                try {
                    return type.getMethod(hook, parameters).getDeclaringClass() != Interceptor.class;
                } catch (final NoSuchMethodException e) {
                    return false;
                }
            }
        };
    }
}

package io.sluice.chain;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.common.header.Header;

import io.sluice.bindings.Binding;
import io.sluice.registry.RegistryUnavailableException;
import io.sluice.registry.UnknownSchemaException;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.DataKeys;
import io.sluice.spi.OnError;
import io.sluice.spi.Outcome;

/**
 * Runs a resolved chain's {@code onSend} hooks on one record, in order, each guarded: a throwing interceptor
 * is skipped or rejects the record as its {@code onError} says; a rejecting interceptor ends the chain.
 * Also delivers each record's {@code onAcknowledgement}, once, to every instance that saw it.
 */
public final class ChainRunner {

    private final InterceptorInstances instances;
    private final HookGuard errors;
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);

    public ChainRunner(final InterceptorInstances instances) {
        this.instances = instances;
        this.errors = instances.hookGuard();
        for (final Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    /** Records acknowledged with this outcome since start (each record counts once). */
    public long outcomeCount(final Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** One record in this many has its {@code onSend} calls timed; a power of two. */
    static final int TIMED_EVERY = 16;

    public InterceptorInstances instances() {
        return instances;
    }

    /**
     * Runs {@code onSend} of every interceptor of the outcome's chain on the record, and notes the key ids the record
     * carries before and after ({@code sluice keys list --usage} reads them from the acknowledgement events). The
     * hooks run in a plain {@code try} (free until one throws) rather than through {@link HookGuard#guard}'s lambda
     * and map lookup, and one clock reading per hook times them all: each hook's end is the next one's start.
     * Only one record in {@link #TIMED_EVERY} is timed (by offset, so exactly that share of every partition), its
     * times counted that many times over: clock readings and their adders were a tenth of a five-interceptor chain.
     */
    public void runOnSend(final ChainRecord record, final RecordOutcome outcome) {
        outcome.dataKey(keyIdOf(record));
        runChain(record, outcome);
        outcome.dataKey(keyIdOf(record));
    }

    private static String keyIdOf(final ChainRecord record) {
        final Header keyId = record.headers().lastHeader(DataKeys.KEY_ID_HEADER);
        return keyId == null || keyId.value() == null ? null : new String(keyId.value(), StandardCharsets.UTF_8);
    }

    private void runChain(final ChainRecord record, final RecordOutcome outcome) {
        final java.util.List<Binding> chain = outcome.chain().interceptors();
        final boolean timed = (outcome.context().offset() & (TIMED_EVERY - 1)) == 0;
        long start = timed ? System.nanoTime() : 0;
        for (int i = 0, size = chain.size(); i < size; i++) {
            final Binding binding = chain.get(i);
            final String name = binding.name();
            final InstanceHandle handle;
            try {
                handle = acquire(binding);
            } catch (final InterceptorInstances.InstanceCreationException e) {
                outcome.interceptorError(name, "create", errors.failed(name, "create", e));
                start = timed ? System.nanoTime() : 0;
                if (instances.onError(binding) == OnError.REJECT) {
                    outcome.reject(RecordOutcome.ErrorKind.INTERCEPTOR_FAILURE, name, e.getMessage());
                    return;
                }
                continue;
            }
            outcome.sawInstance(handle);
            record.interceptorName(name);
            final int violationsBefore = record.violations().size();
            String failure = null;
            Throwable thrown = null;
            try {
                handle.interceptor().onSend(record);
            } catch (final VirtualMachineError fatal) {
                throw fatal;
            } catch (final Throwable e) {
                thrown = e;
                failure = errors.failed(name, "onSend", e);
            }
            if (timed) {
                final long end = System.nanoTime();
                handle.invocations().record((end - start) * TIMED_EVERY);
                start = end;
            } else {
                handle.invocations().recordUntimed();
            }
            for (int v = violationsBefore, count = record.violations().size(); v < count; v++) {
                outcome.violation(name, record.violations().get(v)[1]);
            }
            if (failure != null) {
                outcome.interceptorError(name, "onSend", failure);
                if (handle.onError() == OnError.REJECT) {
                    outcome.reject(kindOf(thrown), name,
                        "interceptor '" + name + "' failed in onSend (onError: reject): " + failure);
                    return;
                }
            } else if (record.isRejected()) {
                outcome.reject(RecordOutcome.ErrorKind.REJECTION, name, record.rejectionReason());
                return;
            }
        }
    }

    /** A value the schema registry cannot read is its own kind of failure: the value's, not the interceptor's. */
    private static RecordOutcome.ErrorKind kindOf(final Throwable failure) {
        if (failure instanceof UnknownSchemaException) {
            return RecordOutcome.ErrorKind.UNKNOWN_SCHEMA;
        }
        if (failure instanceof RegistryUnavailableException) {
            return RecordOutcome.ErrorKind.SCHEMA_REGISTRY_UNAVAILABLE;
        }
        return RecordOutcome.ErrorKind.INTERCEPTOR_FAILURE;
    }

    /** An instance for the binding that will stay open until this record is acknowledged. */
    private InstanceHandle acquire(final Binding binding) {
        while (true) {
            final InstanceHandle handle = instances.instanceFor(binding);
            if (handle.tryRecordInFlight()) {
                if (handle.isOneOff()) {
                    // Only this record holds it now: it closes after the record's acknowledgement.
                    handle.retire();
                }
                return handle;
            }
            // Retired and closed between lookup and use: the next lookup finds or creates a live one.
        }
    }

    /**
     * Delivers {@code onAcknowledgement} to every instance that saw the record, once, then releases them.
     *
     * @param error {@code null} when the record was acknowledged
     * @return false when the record had already been acknowledged
     */
    public boolean acknowledge(final RecordOutcome outcome, final Exception error) {
        if (!outcome.complete()) {
            return false;
        }
        outcomes.get(outcome.outcome()).increment();
        if (outcome.instances().isEmpty()) {
            return true;
        }
        Acknowledgement acknowledgement = null;
        for (final InstanceHandle handle : outcome.instances()) {
            if (handle.observesAcknowledgements()) {
                if (acknowledgement == null) {
                    acknowledgement = outcome.acknowledgement();
                }
                final Acknowledgement delivered = acknowledgement;
                final String name = handle.binding().name();
                final String failure = errors.guard(name, "onAcknowledgement",
                    () -> handle.interceptor().onAcknowledgement(delivered, error));
                if (failure != null) {
                    outcome.interceptorError(name, "onAcknowledgement", failure);
                }
            }
            handle.recordDone();
        }
        return true;
    }
}

package io.sluice.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.sluice.bindings.Binding;
import io.sluice.chain.InstanceHandle;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.resolution.Chain;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.ConsumedRecord;
import io.sluice.spi.RecordContext;
import io.sluice.topology.Admission;
import io.sluice.topology.Routing;

/**
 * {@code onConsume}: after a fetch, before processing, each interceptor instance observes the fetched records
 * whose chain it is in — admitted and resolved as the chain processor admits and resolves it (the same
 * {@link Admission}, the same resolver). Records the processor will reject unread (no route, unreadable or badly
 * signed identity, a route passed twice) are left out: no hook sees a record under an identity the chain would refuse.
 * Only instances whose class overrides {@code onConsume} get records. A fetch costs nothing when no interceptor can
 * observe it: no bindings, or every binding in force has its instance here and none implements the hook (the usual
 * case: no built-in plugin does). Otherwise each record costs its admission and one resolution. Each call is
 * guarded; a failure is counted and logged (there is no acknowledgement event to carry it yet).
 */
final class ConsumeHooks {

    private final Routing routing;
    private final IndexedResolver resolver;
    private final InterceptorInstances instances;
    private final HookGuard errors;

    ConsumeHooks(final Routing routing, final IndexedResolver resolver, final InterceptorInstances instances) {
        this.routing = routing;
        this.resolver = resolver;
        this.instances = instances;
        this.errors = instances.hookGuard();
    }

    void onConsume(final ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        final int bindings = resolver.stats().bindings();
        if (bindings == 0 || instances.noneObservesConsume(bindings)) {
            return;
        }
        final Map<InstanceHandle, List<ConsumedRecord>> byInstance = new LinkedHashMap<>();
        final Map<Chain, List<InstanceHandle>> consumersByChain = new IdentityHashMap<>();
        // Stream threads share this object: one admission per fetch.
        final Admission admission = new Admission(routing);
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            if (!admission.admit(record.topic(), record.headers())) {
                continue;
            }
            final Chain chain = admission.chain(resolver);
            final List<InstanceHandle> consumers = consumersByChain.computeIfAbsent(chain, this::consumers);
            if (consumers.isEmpty()) {
                continue;
            }
            final ConsumedRecord consumed = consumed(record, admission);
            for (final InstanceHandle handle : consumers) {
                byInstance.computeIfAbsent(handle, key -> new ArrayList<>()).add(consumed);
            }
        }
        byInstance.forEach((handle, consumed) -> errors.guard(handle.binding().name(), "onConsume",
            () -> handle.interceptor().onConsume(Collections.unmodifiableList(consumed))));
    }

    /** The instances of a chain that observe fetches; an instance that cannot be created is left out. */
    private List<InstanceHandle> consumers(final Chain chain) {
        if (chain.isEmpty()) {
            return List.of();
        }
        final List<InstanceHandle> consumers = new ArrayList<>(2);
        for (final Binding binding : chain.interceptors()) {
            try {
                // A version no longer in force (a chain resolved just before a change) has no instance to observe.
                final InstanceHandle handle = instances.registeredInstanceFor(binding);
                if (handle != null && handle.observesConsume()) {
                    consumers.add(handle);
                }
            } catch (final InterceptorInstances.InstanceCreationException e) {
                errors.failed(binding.name(), "create", e);
            }
        }
        return consumers;
    }

    private static ConsumedRecord consumed(final ConsumerRecord<byte[], byte[]> record, final Admission admission) {
        // A copy: the chain processor will run on these very headers.
        final RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.setReadOnly();
        return new ConsumedRecord(new RecordContext(admission.vcluster(), admission.username(), admission.groups(),
            record.topic(), record.partition(), record.offset(), record.timestamp()), record.key(), record.value(),
            headers);
    }
}

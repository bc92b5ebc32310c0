package io.sluice.topology;

import java.util.Optional;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.ConfigRecord;
import io.sluice.chain.InterceptorInstances;
import io.sluice.resolution.IndexedResolver;

/**
 * Applies config-topic records (the global store's updates, and its restoration at start-up, which Kafka Streams
 * replays through this processor): a valid binding replaces its identity's binding, a tombstone deletes it, and
 * an invalid record is logged and counted while the previous valid version stays in force. The store holds only
 * valid bindings; the resolver's index and the interceptor instances follow every change.
 */
final class BindingsUpdater implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(BindingsUpdater.class);
    private static final long INVALID_LOG_INTERVAL_MS = 5_000;

    private final String storeName;
    private final BindingRecords records;
    private final IndexedResolver resolver;
    private final InterceptorInstances instances;
    private final ConfigStatus status;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<byte[], byte[]> store;
    private long lastInvalidLogged;

    BindingsUpdater(final String storeName, final BindingRecords records, final IndexedResolver resolver,
                    final InterceptorInstances instances, final ConfigStatus status) {
        this.storeName = storeName;
        this.records = records;
        this.resolver = resolver;
        this.instances = instances;
        this.status = status;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final ConfigRecord decoded = records.decode(origin(), record.key(), record.value());
        if (decoded instanceof ConfigRecord.Valid valid) {
            final Binding binding = valid.binding();
            store.put(record.key(), record.value());
            final Optional<Binding> previous = resolver.put(binding);
            if (previous.isPresent() && !previous.get().equals(binding)) {
                instances.bindingChanged(binding.id());
            }
            status.applied();
            status.settled(record.key());
            LOG.debug("binding {} applied ({} priority {})", binding.id(), binding.plugin(), binding.priority());
        } else if (decoded instanceof ConfigRecord.Tombstone tombstone) {
            store.delete(record.key());
            status.settled(record.key());
            if (resolver.remove(tombstone.id()).isPresent()) {
                instances.bindingChanged(tombstone.id());
                status.deleted();
                LOG.debug("binding {} deleted", tombstone.id());
            }
        } else if (decoded instanceof ConfigRecord.Invalid invalid) {
            status.invalid(record.key(), invalid);
            // A tool spraying bad records must not flood the log: one line per interval, with a count.
            final long now = System.currentTimeMillis();
            if (now - lastInvalidLogged >= INVALID_LOG_INTERVAL_MS) {
                LOG.warn("config record {} is not applied ({}): {} [{} invalid config records so far]", origin(),
                    invalid.id() == null ? "unreadable key" : invalid.id() + ": its previous valid version, if any, stays in force",
                    invalid.reason(), status.invalidCount());
                lastInvalidLogged = now;
            }
        }
    }

    private String origin() {
        final Optional<RecordMetadata> metadata = context.recordMetadata();
        return metadata.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("config record");
    }
}

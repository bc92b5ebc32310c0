package io.sluice.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.ConsumedRecord;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.SendRecord;

/**
 * Plugins for the audit's integration tests, registered directly beside the built-in ones. What the recording
 * plugin observes is kept per binding name: give each test its own names.
 */
final class TestPlugins {

    /** Every hook call the recording plugin saw, per binding name. */
    static final Map<String, Recording> RECORDINGS = new ConcurrentHashMap<>();
    /** Whether the dying plugin has killed its stream thread already (it does so once per JVM and trigger). */
    static final Map<String, AtomicBoolean> DIED = new ConcurrentHashMap<>();

    private TestPlugins() {
    }

    static PluginRegistry registry() {
        final List<InterceptorFactory> factories = new ArrayList<>(PluginRegistry.load().factories());
        factories.add(new Factory("test-recording", OnError.SKIP, setup -> new RecordingInterceptor(
            RECORDINGS.computeIfAbsent(setup.name(), name -> new Recording()))));
        factories.add(new Factory("test-rejecting", OnError.SKIP, setup -> new RejectingInterceptor()));
        factories.add(new Factory("test-flaky", OnError.SKIP, setup -> new FlakyInterceptor()));
        factories.add(new Factory("test-dying", OnError.SKIP, setup -> new DyingInterceptor(
            DIED.computeIfAbsent(setup.name(), name -> new AtomicBoolean()))));
        return new PluginRegistry(factories);
    }

    static Recording recording(final String name) {
        return RECORDINGS.computeIfAbsent(name, key -> new Recording());
    }

    static String coordinates(final String topic, final int partition, final long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private static String text(final byte[] value) {
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    /** What one recording binding saw, by ingress coordinates {@code topic/partition/offset}. */
    static final class Recording {
        final Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> acknowledgements = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> failedAcknowledgements = new ConcurrentHashMap<>();
        final Map<String, Acknowledgement> lastAcknowledgement = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> consumed = new ConcurrentHashMap<>();
        final List<List<CommittedOffset>> commits = new CopyOnWriteArrayList<>();

        int totalSends() {
            return sends.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        int totalAcknowledgements() {
            return acknowledgements.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    /** Observes every hook; changes nothing. */
    static final class RecordingInterceptor implements Interceptor {
        private final Recording recording;

        RecordingInterceptor(final Recording recording) {
            this.recording = recording;
        }

        @Override
        public void onConsume(final List<ConsumedRecord> records) {
            for (final ConsumedRecord record : records) {
                count(recording.consumed, key(record.context().topic(), record.context().partition(),
                    record.context().offset()));
            }
        }

        @Override
        public void onSend(final SendRecord record) {
            count(recording.sends, key(record.context().topic(), record.context().partition(), record.context().offset()));
        }

        @Override
        public void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
            final String key = key(acknowledgement.context().topic(), acknowledgement.context().partition(),
                acknowledgement.context().offset());
            count(recording.acknowledgements, key);
            if (error != null) {
                count(recording.failedAcknowledgements, key);
            }
            recording.lastAcknowledgement.put(key, acknowledgement);
        }

        @Override
        public void onCommit(final List<CommittedOffset> offsets, final Exception error) {
            if (error == null) {
                recording.commits.add(offsets);
            }
        }

        private static String key(final String topic, final int partition, final long offset) {
            return coordinates(topic, partition, offset);
        }

        private static void count(final Map<String, AtomicInteger> counts, final String key) {
            counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Rejects values starting with {@code reject}; reports a violation for values starting with {@code warn}. */
    static final class RejectingInterceptor implements Interceptor {
        @Override
        public void onSend(final SendRecord record) {
            final String value = text(record.value());
            if (value.startsWith("reject")) {
                record.reject("values starting with 'reject' are not allowed");
            } else if (value.startsWith("warn")) {
                record.reportViolation("values starting with 'warn' are frowned upon");
            }
        }
    }

    /** Throws in onSend for values starting with {@code boom} (its onError is skip: the record passes). */
    static final class FlakyInterceptor implements Interceptor {
        @Override
        public void onSend(final SendRecord record) {
            if (text(record.value()).startsWith("boom")) {
                throw new IllegalStateException("flaky plugin failed on purpose");
            }
        }
    }

    /**
     * Kills its stream thread, once, on a value starting with {@code die}: an {@link InternalError} is a
     * {@link VirtualMachineError}, which the hook guard lets through — mid-transaction.
     */
    static final class DyingInterceptor implements Interceptor {
        private final AtomicBoolean died;

        DyingInterceptor(final AtomicBoolean died) {
            this.died = died;
        }

        @Override
        public void onSend(final SendRecord record) {
            if (text(record.value()).startsWith("die") && died.compareAndSet(false, true)) {
                throw new InternalError("test: the stream thread dies mid-transaction");
            }
        }
    }

    /** A test plugin type whose instances {@code create} makes; validates any config, {@code onError: skip}. */
    static InterceptorFactory factory(final String type,
                                      final java.util.function.Function<InterceptorSetup, Interceptor> create) {
        return new Factory(type, OnError.SKIP, create);
    }

    private static final class Factory implements InterceptorFactory {
        private final String type;
        private final OnError onError;
        private final java.util.function.Function<InterceptorSetup, Interceptor> create;

        Factory(final String type, final OnError onError,
                final java.util.function.Function<InterceptorSetup, Interceptor> create) {
            this.type = type;
            this.onError = onError;
            this.create = create;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String description() {
            return "test plugin " + type;
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public OnError defaultOnError() {
            return onError;
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return create.apply(setup);
        }
    }
}

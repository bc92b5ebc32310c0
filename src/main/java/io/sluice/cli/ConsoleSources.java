package io.sluice.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.audit.AuditJson;
import io.sluice.avro.AckEvent;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.ConfigRecord;
import io.sluice.chain.HookGuard;
import io.sluice.common.Json;
import io.sluice.console.ConsoleData;
import io.sluice.console.MetricsHistory;
import io.sluice.console.Unavailable;
import io.sluice.resolution.Context;
import io.sluice.resolution.IndexedResolver;
import io.sluice.runtime.SluiceApp;
import io.sluice.spi.Outcome;
import io.sluice.topology.Route;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine;

/**
 * What the console shows, read as the commands read it: inside {@code sluice run} the bindings come from the
 * instance's global store and its record of invalid config records, and the charts from its own counters; beside a
 * running instance ({@code sluice console}) the bindings come from the config topic, as {@code bindings list} reads
 * them, and the charts from the acknowledgement events ({@link AuditCounts}). The audit is read from its topic in
 * both, as {@code sluice audit acks} reads it, a window at a time.
 */
public abstract class ConsoleSources implements ConsoleData, AutoCloseable {

    /** The most audit records one query reads: a filter matching nothing recent stops here, not at the topic's start. */
    static final int AUDIT_SCAN_BUDGET = 50_000;
    /** An audit reader is reused across queries (live updates poll), and renewed this often to see new partitions. */
    private static final Duration READER_RENEWAL = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSources.class);

    private final Properties client;
    private final TopologyFile topology;
    private final String mode;
    private AuditTopicReader<AckEvent> reader;
    private long readerCreated;

    ConsoleSources(final Properties client, final TopologyFile topology, final String mode) {
        this.client = client;
        this.topology = topology;
        this.mode = mode;
    }

    /** Inside {@code sluice run}: the running instance's store and counters. */
    public static ConsoleSources ofInstance(final SluiceApp app, final Properties client, final BindingRecords records,
                                     final Duration sampling) {
        return new Instance(app, client, records, sampling);
    }

    /** Beside a running instance: the config topic, read as {@code bindings list} reads it, and the audit topic. */
    static ConsoleSources ofTopics(final Properties client, final TopologyFile topology, final BindingRecords records) {
        return new Topics(client, topology, records, MetricsHistory.DEFAULT_INTERVAL);
    }

    /** The config topic's identities, as {@link ConfigTopicClient#readAll} gives them. */
    abstract List<ConfigTopicClient.Entry> entries();

    @Override
    public ObjectNode application() {
        final ObjectNode json = Json.object()
            .put("applicationId", topology.applicationId())
            .put("console", mode)
            .put("bootstrapServers", String.valueOf(client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)))
            .put("processingGuarantee", topology.processingGuarantee().streamsValue())
            .put("configTopic", topology.configTopic())
            .put("acksTopic", topology.auditTopics().acks())
            .put("commitsTopic", topology.auditTopics().commits())
            .put("rejectedTopic", topology.rejectedTopic());
        final ArrayNode routes = json.putArray("routes");
        for (final Route route : topology.routes()) {
            routes.addObject().put("ingress", route.ingress()).put("egress", route.egress())
                .put("vcluster", route.vcluster()).put("vclusterFromHeader", route.vclusterFromHeader())
                .put("signedIdentity", route.identity() != null);
        }
        return json;
    }

    @Override
    public List<ObjectNode> bindings() {
        final List<ObjectNode> lines = new ArrayList<>();
        entries().forEach(entry -> lines.addAll(BindingsCommand.ListBindings.jsonLines(entry)));
        return lines;
    }

    /** As {@code sluice resolve} resolves: an index of the bindings in force, the documented JSON shape. */
    @Override
    public ObjectNode resolve(final Context context) {
        final IndexedResolver resolver = new IndexedResolver(0);
        resolver.load(ConfigTopicClient.bindingsInForce(entries()));
        return ResolveCommand.toJson(resolver.resolve(context));
    }

    @Override
    public synchronized AckWindow acks(final AckFilter filter) {
        final Predicate<AckEvent> matches = event -> (filter.user() == null
            || filter.user().equals(event.getContext().getUsername()))
            && (filter.vcluster() == null || filter.vcluster().equals(event.getContext().getVcluster()))
            && (filter.outcome() == null || filter.outcome() == event.getOutcome())
            && (filter.notBefore() == null || !event.getTime().isBefore(filter.notBefore()));
        try {
            final AuditTopicReader.Latest<AckEvent> latest = reader().latest(matches, AckEvent::getTime,
                filter.notBefore(), filter.limit(), AUDIT_SCAN_BUDGET);
            return new AckWindow(latest.events().stream().map(AuditJson::ack).toList(), latest.scanned(),
                latest.complete());
        } catch (final UserException e) {
            closeReader();
            throw new Unavailable(e.getMessage());
        } catch (final KafkaException e) {
            closeReader();
            throw new Unavailable("cannot read '" + topology.auditTopics().acks() + "': " + SluiceCommand.oneLine(e.getMessage()));
        }
    }

    private AuditTopicReader<AckEvent> reader() {
        if (reader != null && System.nanoTime() - readerCreated > READER_RENEWAL.toNanos()) {
            closeReader();
        }
        if (reader == null) {
            // Both encodings, as sluice audit reads them: single-object Avro, and the registry's wire format.
            reader = new AuditTopicReader<AckEvent>(client, topology.auditTopics().acks(),
                io.sluice.audit.AuditDecoder.acks(AuditCommand.Options.registry(topology))::decode,
                new PrintWriter(new LogWriter(), true));
            readerCreated = System.nanoTime();
        }
        return reader;
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }

    @Override
    public Duration parseSince(final String text) {
        try {
            return AuditCommand.SinceConverter.parse(text);
        } catch (final CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** Config topic reading failures as 503s: the console stays up while Kafka is away. */
    static <T> T unavailable(final java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (final UserException e) {
            throw new Unavailable(e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closeReader();
    }

    private static final class Instance extends ConsoleSources {

        private final SluiceApp app;
        private final BindingRecords records;
        private final MetricsHistory metrics;

        Instance(final SluiceApp app, final Properties client, final BindingRecords records, final Duration sampling) {
            super(client, app.topology(), "instance");
            this.app = app;
            this.records = records;
            this.metrics = new MetricsHistory(() -> sample(app), "Sampled every " + sampling.toSeconds()
                + " s by the running instance.", sampling).start();
        }

        private static MetricsHistory.Sample sample(final SluiceApp app) {
            final Map<String, Long> outcomes = new HashMap<>();
            for (final Outcome outcome : Outcome.values()) {
                outcomes.put(outcome.name(), app.runner().outcomeCount(outcome));
            }
            final HookGuard guard = app.hookGuard();
            final Map<String, MetricsHistory.Interceptor> interceptors = new HashMap<>();
            guard.invocations().forEach((name, calls) -> interceptors.put(name,
                new MetricsHistory.Interceptor(calls.calls(), calls.nanos(), guard.count(name))));
            return new MetricsHistory.Sample(System.currentTimeMillis(), outcomes, interceptors);
        }

        /** The global store's valid records, with the invalid latest record of each identity the instance saw. */
        @Override
        List<ConfigTopicClient.Entry> entries() {
            final ReadOnlyKeyValueStore<byte[], byte[]> store;
            try {
                store = app.streams().store(StoreQueryParameters.fromNameAndType(SluiceTopology.BINDINGS_STORE,
                    QueryableStoreTypes.keyValueStore()));
            } catch (final KafkaException e) {
                throw new Unavailable("the bindings store is not ready: " + SluiceCommand.oneLine(e.getMessage()));
            }
            final Map<ByteBuffer, ConfigRecord.Invalid> invalid = new HashMap<>(app.configStatus().invalidRecords());
            final List<ConfigTopicClient.Entry> entries = new ArrayList<>();
            try (KeyValueIterator<byte[], byte[]> all = store.all()) {
                while (all.hasNext()) {
                    final KeyValue<byte[], byte[]> record = all.next();
                    if (records.decode(app.topology().configTopic(), record.key, record.value)
                        instanceof ConfigRecord.Valid valid) {
                        entries.add(new ConfigTopicClient.Entry(valid, invalid.remove(ByteBuffer.wrap(record.key))));
                    }
                }
            }
            invalid.values().forEach(record -> entries.add(new ConfigTopicClient.Entry(null, record)));
            return entries;
        }

        @Override
        public MetricsHistory metrics() {
            return metrics;
        }

        @Override
        public ObjectNode application() {
            final ObjectNode json = super.application();
            final KafkaStreams.State state = app.streams().state();
            json.put("state", state.name());
            json.put("bindingsInForce", app.resolver().stats().bindings());
            json.put("invalidConfigRecords", app.configStatus().invalidCount());
            return json;
        }

        @Override
        public void close() {
            metrics.close();
            super.close();
        }
    }

    private static final class Topics extends ConsoleSources {

        /** Many page views in a burst read the config topic once. */
        private static final Duration FRESH = Duration.ofSeconds(2);

        private final Properties client;
        private final String configTopic;
        private final BindingRecords records;
        private List<ConfigTopicClient.Entry> entries;
        private long readAt;

        private final AuditCounts counts;
        private final MetricsHistory metrics;

        Topics(final Properties client, final TopologyFile topology, final BindingRecords records,
               final Duration sampling) {
            super(client, topology, "standalone");
            this.client = client;
            this.configTopic = topology.configTopic();
            this.records = records;
            this.counts = AuditCounts.start(client, topology, new PrintWriter(new LogWriter(), true));
            this.metrics = new MetricsHistory(counts::sample, "Counted every " + sampling.toSeconds()
                + " s from the acknowledgement events since this console started: records by outcome, and per "
                + "interceptor the records whose chain held it and its hook errors. Time per call is known only to "
                + "the instance: sluice run --console-port shows it.", sampling).start();
        }

        @Override
        synchronized List<ConfigTopicClient.Entry> entries() {
            if (entries == null || System.nanoTime() - readAt > FRESH.toNanos()) {
                entries = unavailable(() -> ConfigTopicClient.readAll(client, configTopic, records));
                readAt = System.nanoTime();
            }
            return entries;
        }

        @Override
        public MetricsHistory metrics() {
            return metrics;
        }

        @Override
        public synchronized void close() {
            metrics.close();
            counts.close();
            super.close();
        }
    }

    /** Warnings of the audit reader (an undecodable record) go to the log, not to a terminal. */
    private static final class LogWriter extends Writer {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(final char[] chars, final int offset, final int length) {
            line.append(chars, offset, length);
        }

        @Override
        public void flush() {
            final String text = line.toString().strip();
            line.setLength(0);
            if (!text.isEmpty()) {
                LOG.warn("console: {}", text);
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}

package io.sluice.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.audit.Audit;
import io.sluice.audit.AuditFraming;
import io.sluice.audit.RejectingProductionExceptionHandler;
import io.sluice.audit.TopicSizeLimits;
import io.sluice.bindings.BindingRecords;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.keys.KeyringException;
import io.sluice.keys.Keyrings;
import io.sluice.plugins.PluginRegistry;
import io.sluice.registry.RegistryCodecs;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistryException;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.DataKeys;
import io.sluice.topology.ConfigStatus;
import io.sluice.topology.Routing;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyFile;

/**
 * One running Sluice instance: creates the topics it needs, builds the topology and runs it with Kafka Streams.
 * Several instances with one application id share the ingress partitions.
 */
public final class SluiceApp implements AutoCloseable {

    /** Failover: a dead instance's partitions move after this (Kafka's default of 45 s is long for a data path). */
    static final int SESSION_TIMEOUT_MS = 10_000;
    /** How soon a new topic matching a pattern route is consumed. */
    static final int METADATA_MAX_AGE_MS = 3_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The producer's default {@code max.request.size}: a larger record fails in the producer itself. */
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** Kafka's default {@code batch.size}. */
    private static final int DEFAULT_BATCH_SIZE = 16 * 1024;
    /**
     * Producer settings Sluice changes from Kafka's defaults, unless the client properties set them (plain or with
     * the {@code producer.} prefix). Every record becomes two writes through its stream thread's producer (egress
     * and its acknowledgement event); 128 KiB batches instead of 16 KiB cut the produce requests per record several
     * times, which was the largest single gain in the end-to-end benchmark (BENCHMARKS.md). The buffer
     * is raised with it: a batch being filled reserves its whole size, and 64 MiB leave room for 512 partitions
     * written at once before a send waits for memory (memory is taken as batches need it, not up front).
     */
    public static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
        ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024),
        ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    private static final Logger LOG = LoggerFactory.getLogger(SluiceApp.class);

    private final TopologyFile topologyFile;
    private final Routing routing;
    private final Properties client;
    private final Path stateDir;
    private final PluginRegistry plugins;
    private final IndexedResolver resolver = new IndexedResolver();
    private final HookGuard hookGuard = new HookGuard();
    private final ConfigStatus configStatus = new ConfigStatus();
    private final CountDownLatch running = new CountDownLatch(1);
    private boolean auditing = true;
    private InterceptorInstances instances;
    private BindingLoadStatus loadStatus;
    private Keyrings keyrings;
    private ChainRunner runner;
    private Admin admin;
    private Topics topics;
    private KafkaStreams streams;
    private SchemaRegistryClient registry;

    /**
     * @param topologyFile the topics and routes
     * @param client       client properties: bootstrap servers and any security settings
     * @param stateDir     the Kafka Streams state folder
     * @param plugins      the plugin types this instance can run
     */
    public SluiceApp(final TopologyFile topologyFile, final Properties client, final Path stateDir,
                     final PluginRegistry plugins) {
        this.topologyFile = topologyFile;
        this.routing = new Routing(topologyFile);
        this.client = client;
        this.stateDir = stateDir;
        this.plugins = plugins;
    }

    /** Creates the topics, then starts Kafka Streams; returns without waiting for it to run. */
    public SluiceApp start() {
        try {
            ClientSettings.check(client);
        } catch (final ConfigException e) {
            throw new StartupException("client properties: " + e.getMessage(), e);
        }
        admin = Admin.create(client);
        topics = new Topics(admin, routing);
        final List<String> created = topics.ensure();
        if (!created.isEmpty()) {
            LOG.info("created topics {}", created);
        }
        topics.watch(Topics.DEFAULT_WATCH_INTERVAL);
        keyrings = openKeyrings();

        if (schemaRegistry() != null) {
            // framed values reach the field plugins through the registry's codecs (README "Schema registry formats")
            RegistryCodecs.install(schemaRegistry());
        }
        loadStatus = new BindingLoadStatus(admin, client, topologyFile.configTopic());
        instances = new InterceptorInstances(plugins, hookGuard, resolver::inForce,
            keyrings == null ? DataKeys.NONE : keyrings).listener(loadStatus);
        runner = new ChainRunner(instances);
        final Properties properties = streamsProperties();
        final TopicSizeLimits limits = new TopicSizeLimits(admin,
            producerSetting(properties, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE),
            producerSetting(properties, ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE));
        final Audit audit = new Audit(routing, resolver, runner, auditing ? auditFraming() : null);
        final Topology topology = SluiceTopology.build(routing, new BindingRecords(plugins), resolver, runner,
            auditing ? audit.acknowledgements() : Acknowledgements.immediate(runner), configStatus, limits);
        final KafkaClientSupplier clients = new DefaultKafkaClientSupplier();
        streams = new KafkaStreams(topology, properties, auditing ? audit.clientSupplier(clients) : clients);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("a stream thread failed; replacing it: {}", exception.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        return this;
    }

    /** The schema registry of the topology, or {@code null}; made once, shared by the audit and the plugins. */
    public SchemaRegistryClient schemaRegistry() {
        if (registry == null && topologyFile.schemaRegistry() != null) {
            registry = new SchemaRegistryClient(topologyFile.schemaRegistry());
        }
        return registry;
    }

    /** With a schema registry, the audit's schemas registered in it (at every start: a no-op once they are). */
    private AuditFraming auditFraming() {
        final SchemaRegistryClient client = schemaRegistry();
        if (client == null) {
            return null;
        }
        try {
            final AuditFraming framing = AuditFraming.register(client, topologyFile.auditTopics(),
                topologyFile.batchedAcks());
            LOG.info("audit events in the schema registry's wire format: acks schema id {}, commits schema id {}{}",
                framing.ackSchemaId(), framing.commitSchemaId(), topologyFile.batchedAcks()
                    ? ", batched acks schema id " + framing.batchSchemaId() : "");
            return framing;
        } catch (final SchemaRegistryException e) {
            throw new StartupException("schemaRegistry: cannot register the audit schemas: " + e.getMessage());
        }
    }

    /**
     * The topology's keyrings: their KEKs and the key topic, read before any record is processed. A KEK that
     * cannot be read stops the start: records must never be written in plaintext for want of a key.
     */
    private Keyrings openKeyrings() {
        if (topologyFile.keyrings().isEmpty()) {
            return null;
        }
        try {
            return Keyrings.open(topologyFile.keyTopic(), topologyFile.keyrings(), client, System::getenv, true);
        } catch (final KeyringException e) {
            throw new StartupException(e.getMessage(), e);
        }
    }

    /** Waits until Kafka Streams runs (the bindings are loaded and tasks are assigned). */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs without the audit: no audit events, and interceptors get {@code onAcknowledgement} as soon as a record
     * is forwarded, {@code onConsume} and {@code onCommit} never. Only to measure what the audit costs
     * (the benchmarks); call before {@link #start}.
     */
    public SluiceApp withoutAudit() {
        this.auditing = false;
        return this;
    }

    public TopologyFile topology() {
        return topologyFile;
    }

    public ConfigStatus configStatus() {
        return configStatus;
    }

    public IndexedResolver resolver() {
        return resolver;
    }

    public HookGuard hookGuard() {
        return hookGuard;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Runs the chains; counts records per outcome. Set by {@link #start()}. */
    public ChainRunner runner() {
        return runner;
    }

    /** The Kafka Streams configuration: the client properties with what Sluice sets and defaults. */
    Properties streamsProperties() {
        final Properties properties = new Properties();
        PRODUCER_DEFAULTS.forEach((name, value) -> {
            if (!client.containsKey(name) && !client.containsKey(StreamsConfig.producerPrefix(name))) {
                properties.put(StreamsConfig.producerPrefix(name), value);
            }
        });
        final String transactionTimeout = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        if (topologyFile.schemaRegistry() != null && !client.containsKey(transactionTimeout)
            && !client.containsKey(StreamsConfig.producerPrefix(transactionTimeout))) {
            // A record may wait schemaRegistry.timeout for the registry inside a transaction; Streams' 10 s would
            // let the broker abort it first.
            properties.put(StreamsConfig.producerPrefix(transactionTimeout), Long.toString(Math.max(60_000L,
                topologyFile.schemaRegistry().timeout().toMillis() + 30_000L)));
        }
        properties.putAll(client);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, topologyFile.applicationId());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, topologyFile.processingGuarantee().streamsValue());
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // A bug of ours in processing sends the record to the rejected topic rather than stopping the thread.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            LogAndContinueProcessingExceptionHandler.class.getName());
        properties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topologyFile.rejectedTopic());
        // A write the broker refuses goes to the rejected topic too (the chain processor checks sizes first).
        properties.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            RejectingProductionExceptionHandler.class.getName());
        // Values as strings: copies of Properties made through stringPropertyNames() drop anything else.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
            Integer.toString(SESSION_TIMEOUT_MS));
        properties.put(StreamsConfig.mainConsumerPrefix(CommonClientConfigs.METADATA_MAX_AGE_CONFIG),
            Integer.toString(METADATA_MAX_AGE_MS));
        // Kafka Streams' internal topics are replicated like Sluice's own, unless the client properties say otherwise.
        final TopologyFile.Replication replication = topologyFile.replication();
        if (replication.factor() != null) {
            properties.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, replication.factor().toString());
        }
        if (replication.minInsyncReplicas() != null) {
            properties.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                replication.minInsyncReplicas().toString());
        }
        return properties;
    }

    /** A producer setting as the user's client properties set it ({@code producer.}-prefixed first), or Kafka's default. */
    private static int producerSetting(final Properties properties, final String name, final int kafkaDefault) {
        final Object value = properties.getOrDefault(StreamsConfig.producerPrefix(name), properties.get(name));
        return value == null ? kafkaDefault : Integer.parseInt(value.toString().strip());
    }

    /** Stops Kafka Streams (committing what was processed), then closes interceptor instances and topic watching. */
    @Override
    public void close() {
        if (streams != null) {
            // Leave the group on a clean stop: the others (or this instance restarted) get the partitions at
            // once instead of after the session timeout.
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (instances != null) {
            instances.close();
        }
        if (loadStatus != null) {
            loadStatus.close();
        }
        if (keyrings != null) {
            keyrings.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}

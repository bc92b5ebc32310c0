package io.sluice.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckEvent;
import io.sluice.avro.CommitEvent;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.runtime.SluiceApp;
import io.sluice.runtime.Topics;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

/**
 * One Sluice application under test on a real broker (in-JVM or a container): a topology {@code <prefix>.in ->
 * <prefix>.out} with its own config, audit and rejected topics, and helpers that read back what it wrote.
 */
final class AuditHarness implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final String bootstrapServers;
    final TopologyFile topology;
    final String ingress;
    final String egress;
    private final Path stateDir;
    private final Admin admin;
    private SluiceApp app;
    /** Both encodings: the topology's registry, if any, gives the schemas of framed events. */
    private final AuditDecoder<AckEvent> ackDecoder;
    private final AuditDecoder<CommitEvent> commitDecoder;

    AuditHarness(final String bootstrapServers, final String prefix, final ProcessingGuarantee guarantee,
                 final Path stateDir) {
        this(bootstrapServers, prefix, guarantee, stateDir, null);
    }

    /** @param registry the topology's schema registry, or {@code null} */
    AuditHarness(final String bootstrapServers, final String prefix, final ProcessingGuarantee guarantee,
                 final Path stateDir, final io.sluice.registry.SchemaRegistrySettings registry) {
        this(bootstrapServers, prefix, guarantee, stateDir, registry, null);
    }

    /**
     * @param registry  the topology's schema registry, or {@code null}
     * @param ackEvents the topology's {@code auditTopics.ackEvents}, or {@code null} for the default
     */
    AuditHarness(final String bootstrapServers, final String prefix, final ProcessingGuarantee guarantee,
                 final Path stateDir, final io.sluice.registry.SchemaRegistrySettings registry,
                 final TopologyFile.AckEvents ackEvents) {
        this.bootstrapServers = bootstrapServers;
        this.ingress = prefix + ".in";
        this.egress = prefix + ".out";
        this.topology = new TopologyFile(prefix, prefix + "_bindings",
            new TopologyFile.AuditTopics(prefix + "_acks", prefix + "_commits", ackEvents), prefix + "_rejected",
            guarantee, List.of(new Route(ingress, egress, null, false)), registry);
        final io.sluice.registry.SchemaRegistryClient client = registry == null ? null
            : new io.sluice.registry.SchemaRegistryClient(registry);
        this.ackDecoder = AuditDecoder.acks(client);
        this.commitDecoder = AuditDecoder.commits(client);
        this.stateDir = stateDir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The ingress and egress topics (egress with extra configs), and the config topic. */
    AuditHarness createTopics(final int partitions, final Map<String, String> egressConfigs) {
        KafkaClients.createTopic(admin, ingress, partitions, Map.of());
        KafkaClients.createTopic(admin, egress, partitions, egressConfigs);
        KafkaClients.await(admin.createTopics(List.of(Topics.configTopic(topology.configTopic()))).all());
        return this;
    }

    /** One global binding with a config. */
    AuditHarness publish(final String name, final String plugin, final JsonNode config) {
        final Binding binding = new Binding(new BindingId(name, BindingScope.GLOBAL), plugin, 0, null, null, config);
        KafkaClients.await(sendBinding(binding));
        return this;
    }

    private java.util.concurrent.Future<RecordMetadata> sendBinding(final Binding binding) {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topology.configTopic(), BindingRecords.key(binding.id()),
                BindingRecords.value(binding, Provenance.UNKNOWN)));
        }
    }

    /** Global bindings of these plugins, priority in the given order. */
    AuditHarness publish(final String... namesAndPlugins) {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < namesAndPlugins.length; i += 2) {
                final Binding binding = new Binding(new BindingId(namesAndPlugins[i], BindingScope.GLOBAL),
                    namesAndPlugins[i + 1], i, null, null, JsonNodeFactory.instance.objectNode());
                producer.send(new ProducerRecord<>(topology.configTopic(), BindingRecords.key(binding.id()),
                    BindingRecords.value(binding, Provenance.UNKNOWN)));
            }
        }
        return this;
    }

    /** Stops the application (to start it again, e.g. with other settings). */
    void stopApp() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    SluiceApp start() throws InterruptedException {
        return start(Map.of());
    }

    /** Starts Sluice with these client properties added (e.g. {@code producer.}-prefixed ones). */
    SluiceApp start(final Map<String, String> clientProperties) throws InterruptedException {
        final Properties client = new Properties();
        // At-least-once commits every 30 s by default: the tests wait for commits (unless one says otherwise).
        client.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        client.putAll(clientProperties);
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        app = new SluiceApp(topology, client, stateDir, TestPlugins.registry()).start();
        if (!app.awaitRunning(TIMEOUT)) {
            throw new IllegalStateException("Sluice did not reach RUNNING: " + app.streams().state());
        }
        return app;
    }

    List<RecordMetadata> produce(final List<TestRecord> records) {
        return KafkaClients.produce(bootstrapServers, ingress, records);
    }

    List<ConsumerRecord<String, String>> read(final String topic, final int count, final Duration timeout) {
        return KafkaClients.consume(bootstrapServers, topic, count, timeout, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Every record of a topic up to its end offsets now (read_committed): after {@link #exactlyAcks} or
     * {@link #awaitIngressCommitted}, all that the processed records wrote.
     */
    List<ConsumerRecord<String, String>> readToEnd(final String topic) {
        return KafkaClients.consumeToEnd(bootstrapServers, topic, TIMEOUT, IsolationLevel.READ_COMMITTED);
    }

    /** Acknowledgement events as read_committed readers see them, with their records. */
    List<Event<AckEvent>> acks(final int count, final Duration timeout) {
        final List<Event<AckEvent>> events = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytes(bootstrapServers,
            topology.auditTopics().acks(), count, read -> ackDecoder.decode(read.value()).size(), timeout,
            IsolationLevel.READ_COMMITTED)) {
            ackDecoder.decode(record.value()).forEach(event -> events.add(new Event<>(record, event)));
        }
        return events;
    }

    /**
     * Every acknowledgement event, once Sluice has committed its ingress offsets up to the ingress end offsets:
     * all records are processed and their events written (at-least-once writes a record's event before the offset
     * that covers it is committed; exactly-once commits both in one transaction), so reading the acks topic to its
     * end shows every event, extra ones included — nothing rests on a settle window. Fails when {@code expected}
     * events do not arrive or the offsets are not committed in time.
     */
    List<Event<AckEvent>> exactlyAcks(final int expected) {
        final List<Event<AckEvent>> first = acks(expected, TIMEOUT);
        if (first.size() < expected) {
            throw new AssertionError("expected " + expected + " acknowledgement events on "
                + topology.auditTopics().acks() + " within " + TIMEOUT + ", got " + first.size());
        }
        awaitIngressCommitted();
        return acksToEnd();
    }

    /** The acknowledgement events up to the acks topic's end offsets as they are now. */
    List<Event<AckEvent>> acksToEnd() {
        final List<Event<AckEvent>> events = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytesToEnd(bootstrapServers,
            topology.auditTopics().acks(), TIMEOUT, IsolationLevel.READ_COMMITTED)) {
            ackDecoder.decode(record.value()).forEach(event -> events.add(new Event<>(record, event)));
        }
        return events;
    }

    /** Waits until the application's committed offsets reach the end of every ingress partition. */
    void awaitIngressCommitted() {
        final Map<TopicPartition, Long> ends = endOffsets(ingress);
        org.awaitility.Awaitility.await("the offsets of group '" + topology.applicationId() + "' to reach the end of "
                + ingress + " " + ends)
            .atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
            // A partition no record reached has no committed offset.
            .until(this::committedIngressOffsets, committed -> ends.entrySet().stream()
                .allMatch(end -> end.getValue() == 0 || end.getValue().equals(committed.get(end.getKey()))));
    }

    private Map<TopicPartition, Long> committedIngressOffsets() {
        final Map<TopicPartition, Long> committed = new HashMap<>();
        KafkaClients.await(admin.listConsumerGroupOffsets(topology.applicationId()).partitionsToOffsetAndMetadata())
            .forEach((partition, offset) -> {
                if (partition.topic().equals(ingress) && offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
        return committed;
    }

    List<Event<CommitEvent>> commits(final int count, final Duration timeout) {
        final List<Event<CommitEvent>> events = new ArrayList<>();
        for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytes(bootstrapServers,
            topology.auditTopics().commits(), count, timeout, IsolationLevel.READ_COMMITTED)) {
            commitDecoder.decode(record.value()).forEach(event -> events.add(new Event<>(record, event)));
        }
        return events;
    }

    /** The end offset (next offset) of every partition of a topic. */
    Map<TopicPartition, Long> endOffsets(final String topic) {
        final Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** Waits until the committed commit events reach the ingress end offsets; returns them all. */
    List<Event<CommitEvent>> commitsReaching(final Map<TopicPartition, Long> ends) {
        return org.awaitility.Awaitility.await("COMMITTED commit events on " + topology.auditTopics().commits()
                + " reaching the ingress end offsets " + ends)
            .atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
            .until(() -> commits(Integer.MAX_VALUE, Duration.ofSeconds(2)), commits -> reached(commits).equals(ends));
    }

    private static Map<TopicPartition, Long> reached(final List<Event<CommitEvent>> commits) {
        final Map<TopicPartition, Long> reached = new HashMap<>();
        commits.stream().filter(event -> event.value().getOutcome() == io.sluice.avro.CommitOutcome.COMMITTED)
            .flatMap(event -> event.value().getOffsets().stream())
            .forEach(offset -> reached.merge(new TopicPartition(offset.getTopic(), offset.getPartition()),
                offset.getOffset(), Math::max));
        return reached;
    }

    Admin admin() {
        return admin;
    }

    SluiceApp app() {
        return app;
    }

    @Override
    public void close() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    record Event<T>(ConsumerRecord<byte[], byte[]> record, T value) {
    }
}

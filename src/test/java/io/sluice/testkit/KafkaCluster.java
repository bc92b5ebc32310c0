package io.sluice.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.KRaftVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in this JVM, started once per test class:
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaCluster KAFKA = new KafkaCluster();
 * }</pre>
 * Brokers and controllers are combined, on random ports, with temporary data deleted on close, and formatted
 * with the production feature levels (transactions v2, as on a real cluster) rather than the test kit's
 * unstable latest ones. One partition and one replica for the offsets and transaction-state topics; Kafka's
 * defaults otherwise (automatic topic creation included). Tests in a class share the cluster: give each test its own topic names.
 */
public final class KafkaCluster implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final int brokers;
    private KafkaClusterTestKit cluster;
    private Admin admin;

    public KafkaCluster() {
        this(1);
    }

    public KafkaCluster(final int brokers) {
        this.brokers = brokers;
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws Exception {
        final long start = System.nanoTime();
        final TestKitNodes nodes = new TestKitNodes.Builder(productionFeatures())
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1)
            .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            // Fifty partitions each (the default) take seconds to create on a test's first group or transaction.
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("unstable.feature.versions.enable", "false")
            .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (final Exception e) {
            cluster.close(); // broker threads are not daemons
            throw e;
        }
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        LOG.info("Kafka test cluster on {} started in {} ms", cluster.bootstrapServers(),
            Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @Override
    public void afterAll(final ExtensionContext context) throws Exception {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** An Admin client, shared by the class's tests and closed after them. */
    public Admin admin() {
        return admin;
    }

    public void createTopic(final String name, final int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public void createTopic(final String name, final int partitions, final Map<String, String> configs) {
        KafkaClients.createTopic(admin, name, partitions, configs);
    }

    /** The topic's description once the broker has it; see {@link KafkaClients#awaitTopic}. */
    public TopicDescription awaitTopic(final String name, final Duration timeout) {
        return KafkaClients.awaitTopic(admin, name, timeout);
    }

    public List<RecordMetadata> produce(final String topic, final TestRecord... records) {
        return KafkaClients.produce(bootstrapServers(), topic, List.of(records));
    }

    /** {@code count} records of {@code topic} from the beginning, read uncommitted; see {@link KafkaClients#consume}. */
    public List<ConsumerRecord<String, String>> consume(final String topic, final int count) {
        return consume(topic, count, DEFAULT_TIMEOUT, IsolationLevel.READ_UNCOMMITTED);
    }

    public List<ConsumerRecord<String, String>> consume(final String topic, final int count, final Duration timeout,
                                                        final IsolationLevel isolation) {
        return KafkaClients.consume(bootstrapServers(), topic, count, timeout, isolation);
    }

    public List<ConsumerRecord<byte[], byte[]>> consumeBytes(final String topic, final int count, final Duration timeout,
                                                             final IsolationLevel isolation) {
        return KafkaClients.consumeBytes(bootstrapServers(), topic, count, timeout, isolation);
    }

    /** The latest production metadata version with each feature's default level for it. */
    static BootstrapMetadata productionFeatures() {
        final MetadataVersion version = MetadataVersion.latestProduction();
        final Map<String, Short> levels = new HashMap<>();
        for (final Feature feature : Feature.PRODUCTION_FEATURES) {
            if (!feature.featureName().equals(KRaftVersion.FEATURE_NAME)) { // set by the quorum, not bootstrapped
                levels.put(feature.featureName(), feature.defaultLevel(version));
            }
        }
        return BootstrapMetadata.fromVersions(version, levels, "the sluice test kit");
    }
}

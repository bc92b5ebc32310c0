package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.testkit.KafkaCluster;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;

class TopicsIT {

    private static final Logger LOG = LoggerFactory.getLogger(TopicsIT.class);

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @Test
    void createsItsOwnTopicsAndTheEgressOfExistingIngressTopicsOnce() throws Exception {
        // given
        KAFKA.createTopic("a.orders.in", 3);
        final Routing routing = routing("a", new Route("a.orders.in", "a.orders.out", "payments", false),
            new Route("a.missing.in", "a.missing.out", null, false));

        try (Topics topics = new Topics(KAFKA.admin(), routing)) {
            // when
            final List<String> created = topics.ensure();
            final List<String> again = topics.ensure();

            // then
            assertEquals(Set.of("a_bindings", "a_acks", "a_commits", "a_rejected", "a.orders.out"), Set.copyOf(created));
            assertEquals(List.of(), again);
        }
        assertEquals(3, partitions("a.orders.out"));
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config("a_bindings", TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, config("a_acks", TopicConfig.CLEANUP_POLICY_CONFIG));
        assertEquals("zstd", config("a_acks", TopicConfig.COMPRESSION_TYPE_CONFIG), "audit topics are compressed");
        assertEquals("zstd", config("a_commits", TopicConfig.COMPRESSION_TYPE_CONFIG));
        assertFalse(KAFKA.admin().listTopics().names().get().contains("a.missing.out"), "no ingress, no egress");
    }

    @Test
    void anEgressThatExistsAlreadyIsLeftAlone() throws Exception {
        // given
        KAFKA.createTopic("b.in", 3);
        KAFKA.createTopic("b.out", 1);

        try (Topics topics = new Topics(KAFKA.admin(), routing("b", new Route("b.in", "b.out", null, false)))) {
            // when
            final List<String> created = topics.ensure();

            // then
            assertFalse(created.contains("b.out"), created.toString());
        }
        assertEquals(1, partitions("b.out"));
    }

    @Test
    void ingressTopicsSharingAnEgressGiveItTheMostPartitions() throws Exception {
        // given
        KAFKA.createTopic("c-small.in", 2);
        KAFKA.createTopic("c-large.in", 5);

        try (Topics topics = new Topics(KAFKA.admin(), routing("c", new Route("c-(small|large)\\.in", "c.out", null, false)))) {
            // when
            topics.ensure();
        }

        // then
        assertEquals(5, partitions("c.out"));
    }

    @Test
    void theEgressTopicsOfAChainOfRoutesAreCreatedInOnePassEachWithThePartitionsOfTheTopicBefore() throws Exception {
        // given: g.in -> g.out -> g.clear, where only g.in exists
        KAFKA.createTopic("g.in", 3);

        try (Topics topics = new Topics(KAFKA.admin(), routing("g", new Route("g.in", "g.out", null, false),
            new Route("g.out", "g.clear", null, false)))) {
            // when
            final List<String> created = topics.ensure();

            // then
            assertTrue(created.containsAll(List.of("g.out", "g.clear")), created.toString());
        }
        assertEquals(3, partitions("g.out"));
        assertEquals(3, partitions("g.clear"));
    }

    @Test
    void theWatcherCreatesTheEgressOfANewPatternIngressTopicWithinSeconds() throws Exception {
        // given
        final Routing routing = routing("d", new Route("d-tenant-(?<vcluster>[a-z]+)\\.in", "d-tenant-${vcluster}.out", null, false));
        try (Topics topics = new Topics(KAFKA.admin(), routing)) {
            topics.ensure();
            topics.watch(Topics.DEFAULT_WATCH_INTERVAL);

            // when
            KAFKA.createTopic("d-tenant-acme.in", 4);
            final long start = System.nanoTime();

            // then
            KAFKA.awaitTopic("d-tenant-acme.out", Duration.ofSeconds(10));
            LOG.info("egress of a new ingress topic created after {} ms",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        assertEquals(4, partitions("d-tenant-acme.out"));
    }

    @Test
    void everyTopicItCreatesGetsTheTopologysReplication() throws Exception {
        // given: one broker, so one replica is all it can hold; min.insync.replicas can still be set
        KAFKA.createTopic("e.in", 2);
        final Routing routing = routing("e", new TopologyFile.Replication(1, 1), new Route("e.in", "e.out", null, false));

        try (Topics topics = new Topics(KAFKA.admin(), routing)) {
            // when
            topics.ensure();
        }

        // then
        for (final String topic : List.of("e_bindings", "e_acks", "e_commits", "e_rejected", "e.out")) {
            assertEquals("1", config(topic, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), topic);
            assertEquals(1, KAFKA.awaitTopic(topic, Duration.ofSeconds(10)).partitions().get(0).replicas().size(), topic);
        }
        assertEquals("zstd", config("e_acks", TopicConfig.COMPRESSION_TYPE_CONFIG), "the audit topic keeps its own settings");
    }

    @Test
    void moreReplicasThanBrokersFailsAtOnceWithOneLineAndCreatesNothing() throws Exception {
        // given
        KAFKA.createTopic("f.in", 2);
        final Routing routing = routing("f", new TopologyFile.Replication(3, 2), new Route("f.in", "f.out", null, false));

        try (Topics topics = new Topics(KAFKA.admin(), routing)) {
            // when
            final StartupException failure = assertThrows(StartupException.class, topics::ensure);

            // then
            assertEquals("replication.factor 3 in the topology is more than the 1 broker of the cluster; lower it or "
                + "add brokers", failure.getMessage());
        }
        final Set<String> existing = KAFKA.admin().listTopics().names().get();
        assertTrue(existing.stream().noneMatch(topic -> topic.startsWith("f_") || topic.equals("f.out")), existing.toString());
    }

    private static Routing routing(final String prefix, final Route... routes) {
        return routing(prefix, TopologyFile.Replication.BROKER_DEFAULTS, routes);
    }

    private static Routing routing(final String prefix, final TopologyFile.Replication replication,
                                   final Route... routes) {
        return new Routing(new TopologyFile(prefix, prefix + "_bindings",
            new TopologyFile.AuditTopics(prefix + "_acks", prefix + "_commits"), prefix + "_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(routes), replication));
    }

    private static int partitions(final String topic) {
        return KAFKA.awaitTopic(topic, Duration.ofSeconds(10)).partitions().size();
    }

    private static String config(final String topic, final String name) throws ExecutionException, InterruptedException {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final Map<ConfigResource, Config> configs = KAFKA.admin().describeConfigs(List.of(resource)).all().get();
        return configs.get(resource).get(name).value();
    }
}

package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // given: e.in -> e.out -> e.clear, where only e.in exists
        KAFKA.createTopic("e.in", 3);

        try (Topics topics = new Topics(KAFKA.admin(), routing("e", new Route("e.in", "e.out", null, false),
            new Route("e.out", "e.clear", null, false)))) {
            // when
            final List<String> created = topics.ensure();

            // then
            assertTrue(created.containsAll(List.of("e.out", "e.clear")), created.toString());
        }
        assertEquals(3, partitions("e.out"));
        assertEquals(3, partitions("e.clear"));
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

    private static Routing routing(final String prefix, final Route... routes) {
        return new Routing(new TopologyFile(prefix, prefix + "_bindings",
            new TopologyFile.AuditTopics(prefix + "_acks", prefix + "_commits"), prefix + "_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(routes)));
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

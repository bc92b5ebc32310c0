package io.sluice.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEvent;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;

/**
 * A bad day on a real three-broker KRaft cluster (three {@code ./sluice broker} processes, replication factor 3,
 * {@code min.insync.replicas} 2) under two {@code ./sluice run} instances with {@code exactly_once_v2}, while records
 * keep arriving: a broker that leads partitions of the ingress, egress and audit topics is SIGKILLed, then
 * restarted; a third instance joins; one of the first two stops. Afterwards egress holds every ingress record
 * exactly once for {@code read_committed} readers, with one ACKNOWLEDGED event per record, and no instance exited
 * but the one stopped. Prints the pause each event causes: the longest time without egress progress after it.
 */
class ReliabilityClusterIT extends SluiceProcessTest {

    /** Records are sent until the last event is over; at most this many. */
    static final int MAX_RECORDS = 500_000;
    static final int PER_SECOND = 300;
    static final int PARTITIONS = 6;
    /** Longer than any pause this cluster should cause (session timeout 10 s, transaction timeout 10 s, rebalance). */
    static final Duration PAUSE_LIMIT = Duration.ofSeconds(40);

    @Test
    void aBrokerLostAndBackAndInstancesAddedAndStoppedLoseAndDuplicateNothing() throws Exception {
        // given: three brokers, two instances, a chain on every record
        final Cluster cluster = startCluster();
        final Path topology = Files.writeString(dir.resolve("cluster.yaml"), """
            applicationId: cluster
            configTopic: cluster_bindings
            auditTopics: {acks: cluster_acks, commits: cluster_commits}
            rejectedTopic: cluster_rejected
            processingGuarantee: exactly_once_v2
            replication: {factor: 3, minInsyncReplicas: 2}
            routes:
              - {ingress: cluster.in, egress: cluster.out}
            """);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap))) {
            KafkaClients.createTopic(admin, "cluster.in", PARTITIONS, Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2"));
            applyBindings(cluster.bootstrap, "cluster");
            final List<SluiceProcess> started = startAll(() -> startRun(cluster.bootstrap, topology, "a"),
                () -> startRun(cluster.bootstrap, topology, "b"));
            final SluiceProcess a = started.get(0);
            final SluiceProcess b = started.get(1);
            assertEquals(List.of(3, 2), replication(admin, "cluster.out"), "egress: the topology's replication");
            assertEquals(List.of(3, 2), replication(admin, "cluster_acks"), "audit: the topology's replication");

            final Progress progress = Progress.watch(admin, "cluster.out", PARTITIONS);
            final Ledger.Producing producing = Ledger.produce(cluster.bootstrap, "cluster.in", MAX_RECORDS, PER_SECOND);
            final Map<String, Long> events = new LinkedHashMap<>();
            progress.awaitTotal(1_000, Duration.ofSeconds(120));
            final long steadyFrom = System.currentTimeMillis();

            // when: the broker leading the audit topic (and partitions of ingress and egress) is killed
            final int victim = leaderOf(admin, "cluster_acks", 0);
            assertTrue(leads(admin, "cluster.in", victim) && leads(admin, "cluster.out", victim),
                "broker " + victim + " leads partitions of ingress, egress and audit");
            Thread.sleep(2_000);
            events.put("steady state (no event)", steadyFrom);
            events.put("broker " + victim + " SIGKILLed", System.currentTimeMillis());
            cluster.brokers.get(victim).kill9();
            Thread.sleep(8_000);
            assertTrue(a.isAlive() && b.isAlive(), "both instances ride the broker's death out");

            // and: it comes back on its ports and data, and catches up
            events.put("broker " + victim + " restarted", System.currentTimeMillis());
            cluster.restart(victim);
            awaitFullIsr(admin, List.of("cluster.in", "cluster.out", "cluster_acks"), Duration.ofSeconds(90));

            // and: a third instance joins under load, then one of the first two stops
            Thread.sleep(3_000);
            events.put("instance c added", System.currentTimeMillis());
            final SluiceProcess c = startRun(cluster.bootstrap, topology, "c");
            Thread.sleep(8_000);
            events.put("instance a stopped", System.currentTimeMillis());
            assertEquals(0, a.stop(), "a stops cleanly");
            Thread.sleep(5_000);
            final long producedUntil = System.currentTimeMillis();
            final int records = producing.stop();
            System.out.printf("RECORDS: %d sent at about %d/s while the events happened%n", records, PER_SECOND);

            // then: every ingress record once on egress, one ACKNOWLEDGED event each
            final Map<String, Integer> ingress = Ledger.recordIds(cluster.bootstrap, "cluster.in");
            final int ingressRecords = ingress.values().stream().mapToInt(Integer::intValue).sum();
            final Map<String, Integer> egress = Ledger.settledEgress(cluster.bootstrap, "cluster.out", ingressRecords);
            assertEquals(records, ingress.size(), "every record sent to ingress");
            assertEquals(ingress, egress, "each ingress record on egress exactly once; records not once on egress: "
                + Ledger.differences(ingress, egress));
            final List<AckEvent> acks = Ledger.settledAcks(cluster.bootstrap, "cluster_acks", ingressRecords);
            final Map<String, Integer> acknowledged = Ledger.acknowledgedPerIngress(acks);
            assertEquals(ingressRecords, acks.size(), () -> "one acknowledgement event per ingress record; "
                + Ledger.missingAcks(cluster.bootstrap, "cluster.in", "cluster_acks", acknowledged, b.log));
            assertEquals(ingressRecords, acknowledged.size(),
                "an ACKNOWLEDGED event for every ingress record");
            assertTrue(b.isAlive() && c.isAlive(), "no instance exited but the one stopped");

            // and: each event paused egress for a bounded time
            progress.stop();
            // each event's window ends at the next one; the last at the end of the records (egress stops with them)
            final List<Long> times = new ArrayList<>(events.values());
            times.add(producedUntil);
            int i = 0;
            for (final Map.Entry<String, Long> event : events.entrySet()) {
                final long pause = progress.longestPause(event.getValue(), times.get(++i));
                System.out.printf("PAUSE: %-28s %6d ms without egress progress%n", event.getKey(), pause);
                System.out.printf("PROGRESS: %s%n", progress.summary(event.getValue(), times.get(i)));
                assertTrue(pause < PAUSE_LIMIT.toMillis(), event.getKey() + ": paused egress " + pause + " ms");
            }
            assertEquals(0, b.stop());
            assertEquals(0, c.stop());
        }
    }

    // ---- the cluster

    /** Three {@code ./sluice broker} nodes of one KRaft quorum, each a broker and a controller. */
    private final class Cluster {
        final Map<Integer, SluiceProcess> brokers = new LinkedHashMap<>();
        final Map<Integer, Integer> ports = new LinkedHashMap<>();
        String voters;
        String bootstrap;

        void restart(final int node) throws Exception {
            brokers.put(node, startBroker(node, "-restarted"));
        }

        SluiceProcess startBroker(final int node, final String suffix) throws Exception {
            return start("broker-" + node + suffix + ".log", "broker", "--broker-port", ports.get(node).toString(),
                "--node-id", Integer.toString(node), "--controller-quorum-voters", voters,
                "--data-dir", dir.resolve("broker-" + node).toString());
        }
    }

    private Cluster startCluster() throws Exception {
        final Cluster cluster = new Cluster();
        final List<String> voters = new ArrayList<>();
        final List<String> bootstrap = new ArrayList<>();
        for (int node = 1; node <= 3; node++) {
            final int port = FreePorts.freePortPair();
            cluster.ports.put(node, port);
            voters.add(node + "@localhost:" + (port + 1));
            bootstrap.add("localhost:" + port);
        }
        cluster.voters = String.join(",", voters);
        cluster.bootstrap = String.join(",", bootstrap);
        // A node is ready only once the quorum has a leader: start all three together.
        final List<SluiceProcess> brokers = startAll(() -> cluster.startBroker(1, ""), () -> cluster.startBroker(2, ""),
            () -> cluster.startBroker(3, ""));
        IntStream.range(0, 3).forEach(i -> cluster.brokers.put(i + 1, brokers.get(i)));
        return cluster;
    }

    @FunctionalInterface
    private interface Start {
        SluiceProcess start() throws Exception;
    }

    /** Starts the processes at once and returns them, in order, once each printed its ready line. */
    private static List<SluiceProcess> startAll(final Start... starts) throws Exception {
        final List<CompletableFuture<SluiceProcess>> futures = new ArrayList<>();
        for (final Start start : starts) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return start.start();
                } catch (final Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
        }
        final List<SluiceProcess> started = new ArrayList<>();
        for (final CompletableFuture<SluiceProcess> future : futures) {
            started.add(future.get(3, TimeUnit.MINUTES));
        }
        return started;
    }

    // ---- what the cluster says about its topics

    /** The replica count and min.insync.replicas of a topic. */
    private static List<Integer> replication(final Admin admin, final String topic) throws Exception {
        final TopicDescription description = KafkaClients.awaitTopic(admin, topic, Duration.ofSeconds(30));
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final String minIsr = admin.describeConfigs(List.of(resource)).all().get().get(resource)
            .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
        return List.of(description.partitions().get(0).replicas().size(), Integer.parseInt(minIsr));
    }

    private static int leaderOf(final Admin admin, final String topic, final int partition) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(partition)
            .leader().id();
    }

    private static boolean leads(final Admin admin, final String topic, final int broker) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .anyMatch(partition -> partition.leader() != null && partition.leader().id() == broker);
    }

    /** Waits until every partition of the topics has all its replicas in sync again. */
    private static void awaitFullIsr(final Admin admin, final List<String> topics, final Duration timeout)
        throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String lagging = "";
        while (System.nanoTime() < deadline) {
            lagging = "";
            try {
                for (final TopicDescription description : admin.describeTopics(topics).allTopicNames()
                    .get(5, TimeUnit.SECONDS).values()) {
                    for (final TopicPartitionInfo partition : description.partitions()) {
                        if (partition.isr().size() < partition.replicas().size()) {
                            lagging += " " + description.name() + "-" + partition.partition() + " isr " + partition.isr();
                        }
                    }
                }
                if (lagging.isEmpty()) {
                    return;
                }
            } catch (final Exception e) {
                lagging = " " + e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the restarted broker did not catch up within " + timeout + ":" + lagging);
    }

    // ---- egress progress

    /**
     * Samples the committed end offsets of a topic ({@code read_committed}: the last stable offsets) every 100 ms in
     * a background thread, and remembers when the total grew.
     */
    private static final class Progress {
        private final ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;
        private volatile long total;
        private Thread thread;

        static Progress watch(final Admin admin, final String topic, final int partitions) {
            final Progress progress = new Progress();
            final Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            IntStream.range(0, partitions).forEach(p -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            progress.thread = new Thread(() -> {
                long last = -1;
                while (progress.running) {
                    try {
                        final long sum = admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                            .timeoutMs(2_000)).all().get(3, TimeUnit.SECONDS).values().stream()
                            .mapToLong(info -> info.offset()).sum();
                        if (sum > last) {
                            progress.samples.add(new long[] {System.currentTimeMillis(), sum});
                            progress.total = sum;
                            last = sum;
                        }
                        Thread.sleep(100);
                    } catch (final InterruptedException e) {
                        return;
                    } catch (final Exception e) {
                        // a partition without a leader for now: no progress seen in this sample
                    }
                }
            }, "egress-progress");
            progress.thread.setDaemon(true);
            progress.thread.start();
            return progress;
        }

        void awaitTotal(final long records, final Duration timeout) {
            org.awaitility.Awaitility.await("egress reaching " + records + " committed records").atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> total >= records);
        }

        /** Records committed per second from {@code from} to {@code to}, for the log. */
        String summary(final long from, final long to) {
            long first = -1;
            long last = -1;
            for (final long[] sample : samples) {
                if (sample[0] >= from && sample[0] <= to) {
                    first = first < 0 ? sample[1] : first;
                    last = sample[1];
                }
            }
            return first < 0 ? "no progress" : (last - first) * 1000 / Math.max(1, to - from) + " records/s committed";
        }

        /**
         * The longest time without progress between {@code from} and {@code to} (the next event): a stall that goes on
         * past {@code to} counts here up to {@code to}, and for the next event from there.
         */
        long longestPause(final long from, final long to) {
            long previous = from;
            long longest = 0;
            for (final long[] sample : samples) {
                if (sample[0] <= from) {
                    continue;
                }
                longest = Math.max(longest, Math.min(sample[0], to) - previous);
                previous = sample[0];
                if (sample[0] >= to) {
                    return longest;
                }
            }
            return Math.max(longest, to - previous);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }
    }
}

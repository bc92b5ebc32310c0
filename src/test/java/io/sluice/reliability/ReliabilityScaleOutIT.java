package io.sluice.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEvent;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.CommitOutcome;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;

/**
 * Scale-out: two {@code ./sluice run} processes with one topology share a 4-partition ingress topic on one
 * {@code ./sluice broker}; one is killed with SIGKILL mid-stream and the other takes its partitions over, with
 * nothing lost or duplicated. Prints the failover time: from the SIGKILL to the first commit of the survivor on a
 * partition the dead one had.
 */
class ReliabilityScaleOutIT extends SluiceProcessTest {

    static final int RECORDS = 10_000;


    @Test
    void theSurvivorTakesOverAKilledInstancesPartitions() throws Exception {
        // given: a broker process, two run processes with one application id, ingress with 4 partitions
        final int port = FreePorts.freePortPair();
        final String bootstrap = "localhost:" + port;
        startBroker("broker.log", port);
        final Path topology = topology("scale");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaClients.createTopic(admin, "scale.in", 4, Map.of());
        }
        applyBindings(bootstrap, "scale");
        final SluiceProcess a = startRun(bootstrap, topology, "a");
        final SluiceProcess b = startRun(bootstrap, topology, "b");
        final Ledger.Producing producing = Ledger.produce(bootstrap, "scale.in", RECORDS, 500);

        // when: both have partitions, the first is killed
        final Map<String, Set<Integer>> owners = awaitTwoOwners(bootstrap, Duration.ofSeconds(40));
        System.out.println("partitions before the kill: " + owners);
        assertEquals(2, owners.size(), "both instances get partitions: " + owners);
        final long killedAt = System.currentTimeMillis();
        a.kill9();
        final int sentAtKill = producing.sent.get();
        producing.await();
        assertTrue(sentAtKill < RECORDS, "killed mid-stream");

        // then: nothing lost or duplicated
        final Map<String, Integer> egress = Ledger.settledEgress(bootstrap, "scale.out", RECORDS);
        assertEquals(RECORDS, egress.size(), "every record on egress");
        assertTrue(egress.values().stream().allMatch(count -> count == 1), "none twice on egress");
        final List<AckEvent> acks = ackEvents(bootstrap);
        final Map<String, Integer> acknowledged = Ledger.acknowledgedPerIngress(acks);
        assertEquals(RECORDS, acks.size(), "one acknowledgement event per ingress record");
        assertEquals(RECORDS, acknowledged.size());
        assertTrue(acknowledged.values().stream().allMatch(count -> count == 1));

        // and: the survivor took over the dead one's partitions, within session timeout + rebalance
        final List<CommitEvent> commits = Ledger.commits(bootstrap, "scale_commits");
        final String dead = instanceOf(commits, owners, killedAt, true);
        final Set<Integer> deadPartitions = owners.get(dead);
        Long takenOver = null;
        for (final CommitEvent commit : commits) {
            final long time = commit.getTime().toEpochMilli();
            if (time > killedAt && !commit.getInstance().equals(dead) && commit.getOutcome() == CommitOutcome.COMMITTED
                && commit.getOffsets().stream().anyMatch(offset -> deadPartitions.contains(offset.getPartition()))) {
                takenOver = takenOver == null ? time : Math.min(takenOver, time);
            }
        }
        assertNotNull(takenOver, "the survivor committed on the dead instance's partitions");
        final long failoverMillis = takenOver - killedAt;
        System.out.printf("FAILOVER: %d ms from SIGKILL to the survivor's first commit on partitions %s%n",
            failoverMillis, deadPartitions);
        // The session timeout (10 s), then the dead instance's open transaction until the broker aborts it
        // (transaction timeout 10 s, checked every 10 s), then the rebalance.
        assertTrue(failoverMillis < 25_000, "failover within session timeout + transaction abort + rebalance: "
            + failoverMillis);
        assertFalse(a.isAlive());
        assertEquals(0, b.stop());
    }

    private static List<AckEvent> ackEvents(final String bootstrap) {
        return Ledger.settledAcks(bootstrap, "scale_acks", RECORDS);
    }

    /** The instance that stopped committing at the kill (the dead one). */
    private static String instanceOf(final List<CommitEvent> commits, final Map<String, Set<Integer>> owners,
                                     final long killedAt, final boolean dead) {
        final Set<String> after = new HashSet<>();
        commits.stream().filter(c -> c.getTime().toEpochMilli() > killedAt + 1_000)
            .forEach(c -> after.add(c.getInstance()));
        return owners.keySet().stream().filter(instance -> after.contains(instance) != dead).findFirst()
            .orElseThrow(() -> new AssertionError("no instance stopped committing: " + owners.keySet()));
    }

    /** Polls the commit events until two instances committed in the last 2 s; returns their partitions. */
    private static Map<String, Set<Integer>> awaitTwoOwners(final String bootstrap, final Duration timeout)
        throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Set<Integer>> owners = Map.of();
        while (System.nanoTime() < deadline) {
            final long since = System.currentTimeMillis() - 2_000;
            owners = new HashMap<>();
            for (final CommitEvent commit : Ledger.commits(bootstrap, "scale_commits")) {
                if (commit.getTime().toEpochMilli() >= since && commit.getOutcome() == CommitOutcome.COMMITTED) {
                    final Set<Integer> partitions = owners.computeIfAbsent(commit.getInstance(), k -> new HashSet<>());
                    commit.getOffsets().stream().map(TopicPartitionOffset::getPartition).forEach(partitions::add);
                }
            }
            if (owners.size() == 2 && owners.values().stream().noneMatch(Set::isEmpty)) {
                return owners;
            }
            Thread.sleep(500);
        }
        return owners;
    }
}

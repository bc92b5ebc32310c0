package io.sluice.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEvent;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;

/**
 * The broker dies mid-stream (SIGKILL) and comes back on the same port and data: {@code sluice run} must ride it
 * out — not exit — and under {@code exactly_once_v2} the egress topic then holds every record once, with one
 * ACKNOWLEDGED event per ingress record.
 */
class ReliabilityBrokerRestartIT extends SluiceProcessTest {

    static final int RECORDS = 6_000;


    @Test
    void sluiceRunRecoversFromABrokerRestartAndLosesAndDuplicatesNothing() throws Exception {
        // given: a broker process and sluice run against it, with a chain on every record
        final int port = FreePorts.freePortPair();
        final String bootstrap = "localhost:" + port;
        SluiceProcess broker = startBroker("broker-1.log", port);
        final Path topology = topology("restart");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaClients.createTopic(admin, "restart.in", 4, Map.of());
        }
        applyBindings(bootstrap, "restart");
        final SluiceProcess run = startRun(bootstrap, topology, "run");

        // when: records flow, and the broker is killed and restarted on the same data while they do
        final Ledger.Producing producing = Ledger.produce(bootstrap, "restart.in", RECORDS, 500);
        Thread.sleep(3_000);
        assertTrue(producing.sent.get() < RECORDS, "the broker dies while records still arrive");
        broker.kill9();
        Thread.sleep(3_000);
        assertTrue(run.isAlive(), "sluice run keeps running while the broker is away");
        broker = startBroker("broker-2.log", port);
        producing.await();

        // then: sluice run is still the same process, and egress holds every ingress record exactly once. The
        // comparison is with what ingress holds: the test's own producer also rides the broker's death out, and
        // a duplicate it wrote to ingress is two records for Sluice.
        final Map<String, Integer> ingress = Ledger.recordIds(bootstrap, "restart.in");
        final int ingressRecords = ingress.values().stream().mapToInt(Integer::intValue).sum();
        final Map<String, Integer> egress = Ledger.settledEgress(bootstrap, "restart.out", ingressRecords);
        assertEquals(RECORDS, ingress.size(), "every record sent to ingress");
        assertEquals(RECORDS, egress.size(), "every record on egress");
        assertEquals(ingress, egress, "each ingress record on egress exactly once; records not once on egress: "
            + Ledger.differences(ingress, egress));
        final List<AckEvent> acks = Ledger.settledAcks(bootstrap, "restart_acks", ingressRecords);
        final Map<String, Integer> acknowledged = Ledger.acknowledgedPerIngress(acks);
        assertEquals(ingressRecords, acks.size(), () -> "one acknowledgement event per ingress record; "
            + Ledger.missingAcks(bootstrap, "restart.in", "restart_acks", acknowledged, run.log));
        assertEquals(ingressRecords, acknowledged.size(), "an ACKNOWLEDGED event for every ingress record");
        assertTrue(run.isAlive(), "sluice run never exited");
        assertEquals(0, run.stop(), "and stops cleanly");
    }
}

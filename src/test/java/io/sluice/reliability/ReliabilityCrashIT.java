package io.sluice.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEvent;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;

/**
 * Crash safety as a user would see it: {@code ./sluice broker} in one process, {@code ./sluice run} in another,
 * the latter killed with SIGKILL while it processes, and restarted each time. Under {@code exactly_once_v2} the
 * egress topic then holds every record once, and there is one ACKNOWLEDGED event per ingress record.
 */
class ReliabilityCrashIT extends SluiceProcessTest {

    static final int RECORDS = 12_000;
    static final int KILLS = 2;


    @Test
    void sigkillDuringExactlyOnceLosesAndDuplicatesNothing() throws Exception {
        // given: a broker process, a topology with a chain, and sluice run as another process
        final int port = FreePorts.freePortPair();
        final String bootstrap = "localhost:" + port;
        startBroker("broker.log", port);
        final Path topology = topology("crash");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaClients.createTopic(admin, "crash.in", 4, Map.of());
        }
        applyBindings(bootstrap, "crash");
        SluiceProcess run = startRun(bootstrap, topology, "run");

        // when: records flow, and the run process is killed with SIGKILL mid-stream, then restarted, twice
        // (three kills take ~75 s: each restart waits out the dead member's 10 s session timeout)
        final long started = System.nanoTime();
        final Ledger.Producing producing = Ledger.produce(bootstrap, "crash.in", RECORDS, 500);
        for (int kill = 1; kill <= KILLS; kill++) {
            Thread.sleep(2_000);
            assertTrue(run.isAlive(), "sluice run still running before kill " + kill);
            assertTrue(producing.sent.get() < RECORDS, "kill " + kill + " while records still arrive");
            run.kill9();
            System.out.printf("SIGKILL %d at %d ms, %d records produced%n", kill,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), producing.sent.get());
            run = startRun(bootstrap, topology, "run");
            System.out.printf("restart %d ready after %d ms%n", kill, run.readyMillis);
        }
        producing.await();

        // then: every record on egress exactly once, one ACKNOWLEDGED event per ingress record
        final Map<String, Integer> egress = Ledger.settledEgress(bootstrap, "crash.out", RECORDS);
        final List<String> duplicated = egress.entrySet().stream().filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey).sorted().limit(10).toList();
        assertEquals(List.of(), duplicated, "records on egress more than once");
        final List<String> missing = new ArrayList<>();
        for (int i = 0; i < RECORDS && missing.size() < 10; i++) {
            if (!egress.containsKey(Ledger.id(i))) {
                missing.add(Ledger.id(i));
            }
        }
        assertEquals(List.of(), missing, "records missing on egress");
        assertEquals(RECORDS, egress.size());

        final List<AckEvent> acks = Ledger.settledAcks(bootstrap, "crash_acks", RECORDS);
        final Map<String, Integer> acknowledged = Ledger.acknowledgedPerIngress(acks);
        final SluiceProcess last = run;
        assertEquals(RECORDS, acks.size(), () -> "one acknowledgement event per ingress record; "
            + Ledger.missingAcks(bootstrap, "crash.in", "crash_acks", acknowledged, last.log));
        assertEquals(RECORDS, acknowledged.size(), "an ACKNOWLEDGED event for every ingress record");
        assertTrue(acknowledged.values().stream().allMatch(count -> count == 1), "no ingress record acknowledged twice");
        assertTrue(acks.stream().allMatch(ack -> ack.getEgress() != null), "each names its egress record");
        assertEquals(0, run.stop(), "the last run stops cleanly");
    }
}

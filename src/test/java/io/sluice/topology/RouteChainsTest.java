package io.sluice.topology;

import static io.sluice.topology.Bindings.recording;
import static io.sluice.topology.SluiceDriver.assertRecords;
import static io.sluice.topology.SluiceDriver.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.testing.Journal;
import io.sluice.testing.TestPlugins;

/**
 * Routes that form a chain, under {@code TopologyTestDriver}: a route reads another route's egress, each hop is a
 * record of its own with its own chain, and a record that would pass a route a second time (a cycle that only
 * shows with real topic names) is rejected with the routes it passed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RouteChainsTest {

    private static final Path EXAMPLE = Path.of("topologies", "examples", "decrypted-view");
    private static final String CARD = "{\"card\":{\"number\":\"4111111111111111\"},\"amount\":42}";

    @TempDir
    Path folder;

    private final Journal journal = new Journal();

    @Test
    void theDecryptedViewExampleEncryptsOnTheFirstHopAndDecryptsForTheAllowedGroupOnTheSecond() throws Exception {
        // given: the example topology and bindings, with the key from a file instead of the environment
        final Path key = Files.writeString(folder.resolve("orders.key"),
            Base64.getEncoder().encodeToString("an example key of 32 bytes......".getBytes(StandardCharsets.US_ASCII)));
        final String bindings = Files.readString(EXAMPLE.resolve("bindings.yaml"))
            .replace("keyEnv: SLUICE_ORDERS_KEY", "keyFile: " + key);
        try (SluiceDriver sluice = new SluiceDriver(folder, Files.readString(EXAMPLE.resolve("topology.yaml")),
            PluginRegistry.load())) {
            sluice.apply(bindings);

            // when: a fraud analyst's record and another user's
            sluice.send("orders.in", record("k1", CARD, "sluice-user", "alice", "sluice-groups", "fraud-analysts"));
            sluice.send("orders.in", record("k2", CARD, "sluice-user", "bob"));

            // then: both encrypted on orders.out; on orders.clear only alice's is in clear
            final List<TestRecord<String, String>> encrypted = sluice.read("orders.out");
            assertEquals(2, encrypted.size(), encrypted.toString());
            encrypted.forEach(record -> assertNotEquals("4111111111111111", cardNumber(record.value()), record.value()));
            final List<TestRecord<String, String>> clear = sluice.read("orders.clear");
            assertEquals(List.of("k1", "k2"), clear.stream().map(TestRecord::key).toList());
            assertEquals("4111111111111111", cardNumber(clear.get(0).value()));
            assertEquals(cardNumber(encrypted.get(1).value()), cardNumber(clear.get(1).value()));
            assertTrue(clear.stream().allMatch(record -> record.headers().lastHeader(RouteHops.HEADER) == null),
                "the hop marks end with the chain");
            assertRecords(List.of(), sluice.rejected());
        }
    }

    @Test
    void eachHopIsARecordOfItsOwnResolvedForTheIdentityItCarriesWithItsOwnChain() {
        // given: a chain a.in -> b.in -> c.out, a binding per hop, and one for alice's records everywhere
        final String topology = """
            applicationId: sluice-test
            processingGuarantee: at_least_once
            routes:
              - {ingress: a.in, egress: b.in, vcluster: first}
              - {ingress: b.in, egress: c.out, vcluster: second}
            """;
        try (SluiceDriver sluice = new SluiceDriver(folder, topology, TestPlugins.registry(journal))) {
            sluice.apply(recording("first-hop", "{vcluster: first}", 1, "first")
                + recording("second-hop", "{vcluster: second}", 1, "second")
                + recording("alice", "{username: alice}", 2, "alice"));

            // when
            sluice.send("a.in", record("k", "v", "sluice-user", "alice", "x-team", "ops"));

            // then: the middle topic holds the first hop's result with its mark; the last one the second hop's, unmarked
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-team", "ops", "x-recorded", "first",
                "x-recorded", "alice", RouteHops.HEADER, "sluice-test/a.in")), sluice.read("b.in"));
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-team", "ops", "x-recorded", "first",
                "x-recorded", "alice", "x-recorded", "second", "x-recorded", "alice")), sluice.read("c.out"));
            assertEquals(List.of("first onSend a.in", "alice onSend a.in", "second onSend b.in", "alice onSend b.in"),
                journal.events().stream().filter(entry -> entry.contains("onSend")).map(RouteChainsTest::withoutOffset)
                    .toList());
            assertRecords(List.of(), sluice.rejected());
        }
    }

    @Test
    void aRecordThatWouldPassARouteASecondTimeIsRejectedWithTheRoutesItPassed() {
        // given: t-x.in -> t-x.mid -> t-x.in: a cycle validation cannot see (templated egresses)
        final String topology = """
            applicationId: sluice-test
            processingGuarantee: at_least_once
            routes:
              - ingress: "t-(?<vcluster>[a-z]+)\\\\.in"
                egress: "t-${vcluster}.mid"
              - ingress: "t-(?<vcluster>[a-z]+)\\\\.mid"
                egress: "t-${vcluster}.in"
            """;
        try (SluiceDriver sluice = new SluiceDriver(folder, topology, TestPlugins.registry(journal))) {
            // when
            sluice.send("t-x.in", record("k", "v", "sluice-user", "alice"));

            // then: it passed both routes once, and was refused on entering the first again
            final String first = "sluice-test/t-(?<vcluster>[a-z]+)\\.in";
            final String second = "sluice-test/t-(?<vcluster>[a-z]+)\\.mid";
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", RouteHops.HEADER, first)), sluice.read("t-x.mid"));
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", RouteHops.HEADER, first, RouteHops.HEADER,
                second)), sluice.read("t-x.in"));
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", RouteHops.HEADER, first, RouteHops.HEADER,
                second, "sluice-rejected-by", "sluice", "sluice-reason",
                "the record would pass routes[0] (t-(?<vcluster>[a-z]+)\\.in) a second time: the routes form a cycle "
                    + "(it came through t-(?<vcluster>[a-z]+)\\.in -> t-(?<vcluster>[a-z]+)\\.mid)")), sluice.rejected());
        }
    }

    @Test
    void marksAreSluicesOwnAClientsOrAPluginsAreReplaced() {
        // given: a chain whose first hop's chain adds a forged mark, on a record that came with one
        final String topology = """
            applicationId: sluice-test
            processingGuarantee: at_least_once
            routes:
              - {ingress: a.in, egress: b.in}
              - {ingress: b.in, egress: c.out}
            """;
        try (SluiceDriver sluice = new SluiceDriver(folder, topology, TestPlugins.registry(journal))) {
            sluice.apply(Bindings.injects("forge", "{}", 1, RouteHops.HEADER, "sluice-test/b.in"));

            // when
            sluice.send("a.in", record("k", "v", RouteHops.HEADER, "sluice-test/b.in"));

            // then: the record passes b.in's route (it was never there), and its mark on b.in is a.in's alone
            final List<TestRecord<String, String>> middle = sluice.read("b.in");
            assertEquals(List.of("sluice-test/a.in"), marks(middle.get(0)));
            assertEquals(1, sluice.read("c.out").size());
            assertRecords(List.of(), sluice.rejected());
        }
    }

    private static List<String> marks(final TestRecord<String, String> record) {
        return Arrays.stream(record.headers().toArray()).filter(header -> header.key().equals(RouteHops.HEADER))
            .map(Header::value).map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }

    private static String cardNumber(final String json) {
        try {
            return Json.parse(json).at("/card/number").asText();
        } catch (final Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String withoutOffset(final String entry) {
        return entry.replaceAll("[-/@][0-9]+.*$", "");
    }
}

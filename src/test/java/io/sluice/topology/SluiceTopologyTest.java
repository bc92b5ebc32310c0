package io.sluice.topology;

import static io.sluice.topology.Bindings.binding;
import static io.sluice.topology.Bindings.injects;
import static io.sluice.topology.Bindings.recording;
import static io.sluice.topology.SluiceDriver.assertRecords;
import static io.sluice.topology.SluiceDriver.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testing.Journal;
import io.sluice.testing.RecordingFactory;
import io.sluice.testing.TestPlugins;

/**
 * Records through Sluice's topology under {@code TopologyTestDriver}: routes and the vcluster they give, chains
 * resolved from published bindings (override, chain, precedence, groups, topics), identity headers, and records
 * without key or value. Bindings show that they ran through the headers they add to egress records.
 */
class SluiceTopologyTest {

    /** A global binding that writes each record's vcluster and user into its egress headers. */
    private static final String SHOW_CONTEXT = binding("show-context", "{}",
        "plugin: header-injection, priority: 0, config: {headers: {x-vcluster: '{{vcluster}}', x-user: '[{{user}}]'}}");

    @TempDir
    Path folder;

    private final Journal journal = new Journal();

    private SluiceDriver sluice() {
        return new SluiceDriver(folder, TestPlugins.registry(journal));
    }

    // ---- routes

    @Test
    void aFixedRouteGivesItsVcluster() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT);

            // when
            sluice.send("orders.in", record("k", "v"));

            // then
            assertRecords(List.of(record("k", "v", "x-vcluster", "payments", "x-user", "[]")), sluice.read("orders.out"));
            assertRecords(List.of(), sluice.rejected());
        }
    }

    @Test
    void aPatternRouteCapturesTheVclusterAndFillsInTheEgress() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT);

            // when
            sluice.send("tenant-acme-eu.in", record("k", "v"));
            sluice.send("tenant-globex.in", record("k", "v"));

            // then
            assertRecords(List.of(record("k", "v", "x-vcluster", "acme-eu", "x-user", "[]")),
                sluice.read("tenant-acme-eu.out"));
            assertRecords(List.of(record("k", "v", "x-vcluster", "globex", "x-user", "[]")),
                sluice.read("tenant-globex.out"));
        }
    }

    @Test
    void aHeaderRouteTrustsTheVclusterHeaderAndDefaultsWithoutIt() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT + injects("blue-only", "{vcluster: blue}", 10, "x-blue", "yes"));

            // when
            sluice.send("shared.in", record("k1", "v", "sluice-vcluster", "blue"));
            sluice.send("shared.in", record("k2", "v"));

            // then
            assertRecords(List.of(
                    record("k1", "v", "sluice-vcluster", "blue", "x-vcluster", "blue", "x-user", "[]", "x-blue", "yes"),
                    record("k2", "v", "x-vcluster", "default", "x-user", "[]")),
                sluice.read("shared.out"));
        }
    }

    @Test
    void routesWithoutVclusterFromHeaderIgnoreASpoofedVclusterHeader() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT + injects("evil-only", "{vcluster: evil}", 10, "x-evil", "yes"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-vcluster", "evil"));
            sluice.send("tenant-acme.in", record("k", "v", "sluice-vcluster", "evil"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-vcluster", "evil", "x-vcluster", "payments", "x-user", "[]")),
                sluice.read("orders.out"));
            assertRecords(List.of(record("k", "v", "sluice-vcluster", "evil", "x-vcluster", "acme", "x-user", "[]")),
                sluice.read("tenant-acme.out"));
        }
    }

    @Test
    void routesWithoutVclusterFromHeaderIgnoreEvenAnUnreadableVclusterHeader() {
        try (SluiceDriver sluice = sluice()) {
            // given: the header means nothing on these routes, so it cannot make the identity unreadable
            sluice.apply(SHOW_CONTEXT);
            final Headers notUtf8 = SluiceDriver.headers();
            notUtf8.add("sluice-vcluster", new byte[] {(byte) 0xC3, (byte) 0x28});

            // when
            sluice.send("orders.in", record("k1", "v", "sluice-vcluster", "evil", "sluice-vcluster", "worse"));
            sluice.send("tenant-acme.in", record("k2", "v", notUtf8));

            // then
            assertRecords(List.of(), sluice.rejected());
            assertRecords(List.of(record("k1", "v", "sluice-vcluster", "evil", "sluice-vcluster", "worse",
                "x-vcluster", "payments", "x-user", "[]")), sluice.read("orders.out"));
            final Headers egress = SluiceDriver.headers();
            egress.add("sluice-vcluster", new byte[] {(byte) 0xC3, (byte) 0x28});
            egress.add("x-vcluster", utf8("acme"));
            egress.add("x-user", utf8("[]"));
            assertRecords(List.of(record("k2", "v", egress)), sluice.read("tenant-acme.out"));
        }
    }

    @Test
    void aTopicWhoseEgressItsOwnRouteReadsAgainIsRejectedNotDropped() {
        // given: "orders.raw" would write to orders.x.raw, which the same pattern reads, and so on for ever;
        // "payments.in" writes to payments.x.raw, which it does not read: the chain ends there
        final String topology = """
            applicationId: sluice-test
            processingGuarantee: at_least_once
            routes:
              - ingress: "(?<vcluster>[a-z.]+)\\\\.raw"
                egress: "${vcluster}.x.raw"
              - ingress: payments.in
                egress: payments.out
            """;
        try (SluiceDriver sluice = new SluiceDriver(folder, topology, TestPlugins.registry(journal))) {
            sluice.apply(SHOW_CONTEXT);

            // when
            sluice.send("orders.raw", record("k", "v", "sluice-user", "alice"));
            sluice.send("payments.in", record("k", "v", "sluice-user", "alice"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "sluice-rejected-by", "sluice",
                    "sluice-reason", "the topic 'orders.raw' has no route (its egress would be read again)")),
                sluice.rejected());
            assertRecords(List.of(), sluice.read("orders.x.raw"));
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-vcluster", "default", "x-user", "[alice]")),
                sluice.read("payments.out"));
        }
    }

    // ---- override and chain

    @Test
    void theSameNameAtAMorePreciseScopeOverridesAndDifferentNamesChainByPriority() {
        try (SluiceDriver sluice = sluice()) {
            // given: alice's "trace" replaces the global one, with its own priority; "team" chains with either
            sluice.apply(injects("trace", "{}", 10, "x-trace", "global")
                + injects("trace", "{username: alice}", 30, "x-trace", "alice")
                + injects("team", "{}", 20, "x-team", "payments"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice"));
            sluice.send("orders.in", record("k", "v", "sluice-user", "bob"));

            // then
            assertRecords(List.of(
                    record("k", "v", "sluice-user", "alice", "x-team", "payments", "x-trace", "alice"),
                    record("k", "v", "sluice-user", "bob", "x-trace", "global", "x-team", "payments")),
                sluice.read("orders.out"));
        }
    }

    @Test
    void aChainRunsInPriorityOrderAndTiesRunInNameOrder() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("zeta", "{}", 1, "x-zeta", "1")
                + injects("beta", "{}", 5, "x-beta", "3")
                + injects("alpha", "{}", 5, "x-alpha", "2")
                + injects("omega", "{}", 9, "x-omega", "4"));

            // when
            sluice.send("orders.in", record("k", "v"));

            // then
            assertRecords(List.of(record("k", "v", "x-zeta", "1", "x-alpha", "2", "x-beta", "3", "x-omega", "4")),
                sluice.read("orders.out"));
        }
    }

    // ---- precedence

    @Test
    void usernameBeatsGroupBeatsVclusterBeatsGlobal() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("tag", "{}", 10, "x-tag", "global")
                + injects("tag", "{vcluster: payments}", 10, "x-tag", "vcluster")
                + injects("tag", "{group: analysts}", 10, "x-tag", "group")
                + injects("tag", "{username: alice}", 10, "x-tag", "username"));

            // when
            sluice.send("orders.in", record("alice", "v", "sluice-user", "alice", "sluice-groups", "analysts"));
            sluice.send("orders.in", record("bob", "v", "sluice-user", "bob", "sluice-groups", "analysts"));
            sluice.send("orders.in", record("carol", "v", "sluice-user", "carol"));
            sluice.send("tenant-acme.in", record("dave", "v", "sluice-user", "dave", "sluice-groups", "analysts-eu"));

            // then
            assertRecords(List.of(
                    record("alice", "v", "sluice-user", "alice", "sluice-groups", "analysts", "x-tag", "username"),
                    record("bob", "v", "sluice-user", "bob", "sluice-groups", "analysts", "x-tag", "group"),
                    record("carol", "v", "sluice-user", "carol", "x-tag", "vcluster")),
                sluice.read("orders.out"));
            assertRecords(List.of(record("dave", "v", "sluice-user", "dave", "sluice-groups", "analysts-eu", "x-tag", "global")),
                sluice.read("tenant-acme.out"));
        }
    }

    @Test
    void withinALevelAScopeThatAlsoNamesTheVclusterWins() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("tag", "{group: analysts}", 10, "x-tag", "any vcluster")
                + injects("tag", "{vcluster: payments, group: analysts}", 10, "x-tag", "payments"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-groups", "analysts"));
            sluice.send("tenant-acme.in", record("k", "v", "sluice-groups", "analysts"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-groups", "analysts", "x-tag", "payments")),
                sluice.read("orders.out"));
            assertRecords(List.of(record("k", "v", "sluice-groups", "analysts", "x-tag", "any vcluster")),
                sluice.read("tenant-acme.out"));
        }
    }

    @Test
    void aUserInTwoGroupsGetsOneInstancePerMatchingGroupEachWithItsOwnPriority() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("audit", "{}", 0, "x-global", "overridden")
                + recording("audit", "{group: analysts}", 20, "analysts")
                + recording("audit", "{group: auditors}", 10, "auditors"));

            // when
            sluice.send("orders.in", record("alice", "v", "sluice-user", "alice", "sluice-groups", "analysts,auditors"));
            sluice.send("orders.in", record("bob", "v", "sluice-user", "bob", "sluice-groups", "analysts"));

            // then
            assertRecords(List.of(
                    record("alice", "v", "sluice-user", "alice", "sluice-groups", "analysts,auditors",
                        RecordingFactory.HEADER, "auditors", RecordingFactory.HEADER, "analysts"),
                    record("bob", "v", "sluice-user", "bob", "sluice-groups", "analysts",
                        RecordingFactory.HEADER, "analysts")),
                sluice.read("orders.out"));
            assertEquals(List.of(
                    "auditors created", "auditors onSend orders.in@0",
                    "analysts created", "analysts onSend orders.in@0",
                    "auditors onAcknowledgement orders.in@0 ACKNOWLEDGED",
                    "analysts onAcknowledgement orders.in@0 ACKNOWLEDGED",
                    "analysts onSend orders.in@1",
                    "analysts onAcknowledgement orders.in@1 ACKNOWLEDGED"),
                journal.events());
        }
    }

    // ---- topics

    @Test
    void aBindingFilteredOutByTopicDoesNotRunAndDoesNotFallBack() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("tag", "{}", 10, "x-tag", "global")
                + binding("tag", "{username: alice}",
                    "plugin: header-injection, priority: 10, topics: 'shared\\.in', config: {headers: {x-tag: alice}}"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice"));
            sluice.send("shared.in", record("k", "v", "sluice-user", "alice"));
            sluice.send("orders.in", record("k", "v", "sluice-user", "bob"));

            // then
            assertRecords(List.of(
                    record("k", "v", "sluice-user", "alice"),
                    record("k", "v", "sluice-user", "bob", "x-tag", "global")),
                sluice.read("orders.out"));
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-tag", "alice")), sluice.read("shared.out"));
        }
    }

    // ---- identity headers

    @Test
    void aUserHeaderThatIsNotUtf8IsRejectedWithTheReason() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT);
            final Headers headers = SluiceDriver.headers("x-trace", "t-1");
            headers.add("sluice-user", new byte[] {(byte) 0xC3, (byte) 0x28});

            // when
            sluice.send("orders.in", record("k", "v", headers));

            // then
            final Headers rejected = SluiceDriver.headers("x-trace", "t-1");
            rejected.add("sluice-user", new byte[] {(byte) 0xC3, (byte) 0x28});
            rejected.add("sluice-rejected-by", utf8("sluice"));
            rejected.add("sluice-reason", utf8("sluice-user is not valid UTF-8"));
            assertRecords(List.of(record("k", "v", rejected)), sluice.rejected());
            assertRecords(List.of(), sluice.read("orders.out"));
        }
    }

    @Test
    void identityHeadersGivenTwiceWithDifferentValuesAreRejectedWithTheReason() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT);

            // when
            sluice.send("orders.in", record("k1", "v", "sluice-user", "alice", "sluice-user", "mallory"));
            sluice.send("orders.in", record("k2", "v", "sluice-groups", "analysts", "sluice-groups", "admins"));
            sluice.send("shared.in", record("k3", "v", "sluice-vcluster", "blue", "sluice-vcluster", "red"));

            // then
            assertRecords(List.of(
                    record("k1", "v", "sluice-user", "alice", "sluice-user", "mallory", "sluice-rejected-by", "sluice",
                        "sluice-reason", "sluice-user is given twice with different values"),
                    record("k2", "v", "sluice-groups", "analysts", "sluice-groups", "admins", "sluice-rejected-by", "sluice",
                        "sluice-reason", "sluice-groups is given twice with different values"),
                    record("k3", "v", "sluice-vcluster", "blue", "sluice-vcluster", "red", "sluice-rejected-by", "sluice",
                        "sluice-reason", "sluice-vcluster is given twice with different values")),
                sluice.rejected());
            assertRecords(List.of(), sluice.read("orders.out"));
            assertRecords(List.of(), sluice.read("shared.out"));
        }
    }

    @Test
    void anIdentityHeaderRepeatedWithTheSameValueIsAccepted() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(SHOW_CONTEXT);

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice", "sluice-user", "alice"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "sluice-user", "alice",
                "x-vcluster", "payments", "x-user", "[alice]")), sluice.read("orders.out"));
        }
    }

    @Test
    void aRecordWithoutIdentityHeadersRunsAsTheAnonymousUser() {
        try (SluiceDriver sluice = sluice()) {
            // given: only the global binding matches the anonymous user
            sluice.apply(SHOW_CONTEXT
                + injects("by-group", "{group: analysts}", 10, "x-group", "analysts")
                + injects("by-vcluster-user", "{vcluster: payments, username: alice}", 10, "x-user-binding", "alice"));

            // when
            sluice.send("orders.in", record("k1", "v"));
            sluice.send("orders.in", record("k2", "v", "sluice-user", "", "sluice-groups", ""));

            // then
            assertRecords(List.of(
                    record("k1", "v", "x-vcluster", "payments", "x-user", "[]"),
                    record("k2", "v", "sluice-user", "", "sluice-groups", "", "x-vcluster", "payments", "x-user", "[]")),
                sluice.read("orders.out"));
        }
    }

    @Test
    void theGroupsHeaderIsACommaSeparatedSetOfTrimmedNames() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(binding("show-groups", "{}",
                "plugin: header-injection, priority: 0, config: {headers: {x-groups: '[{{groups}}]'}}")
                + injects("auditors-only", "{group: auditors}", 10, "x-auditor", "yes"));

            // when
            sluice.send("orders.in", record("k1", "v", "sluice-groups", " auditors , analysts,,auditors, "));
            sluice.send("orders.in", record("k2", "v", "sluice-groups", "auditors"));
            sluice.send("orders.in", record("k3", "v", "sluice-groups", " , "));
            sluice.send("orders.in", record("k4", "v", "sluice-groups", "c,b,a,b"));
            sluice.send("orders.in", record("k5", "v", "sluice-groups", "auditors,auditors"));

            // then
            assertRecords(List.of(
                    record("k1", "v", "sluice-groups", " auditors , analysts,,auditors, ",
                        "x-groups", "[analysts,auditors]", "x-auditor", "yes"),
                    record("k2", "v", "sluice-groups", "auditors", "x-groups", "[auditors]", "x-auditor", "yes"),
                    record("k3", "v", "sluice-groups", " , ", "x-groups", "[]"),
                    record("k4", "v", "sluice-groups", "c,b,a,b", "x-groups", "[a,b,c]"),
                    record("k5", "v", "sluice-groups", "auditors,auditors", "x-groups", "[auditors]", "x-auditor", "yes")),
                sluice.read("orders.out"));
        }
    }

    @Test
    void aGroupNameLongerThanTheLimitMakesTheIdentityUnreadable() {
        try (SluiceDriver sluice = sluice()) {
            // when
            final String groups = "analysts," + "g".repeat(IdentityHeaders.MAX_NAME_BYTES + 1);
            sluice.send("orders.in", record("k", "v", "sluice-groups", groups));

            // then
            assertRecords(List.of(record("k", "v", "sluice-groups", groups, "sluice-rejected-by", "sluice",
                    "sluice-reason", "sluice-groups names a group longer than 256 characters")),
                sluice.rejected());
        }
    }

    // ---- records without key or value

    @Test
    void tombstonesAndNullKeysPassThroughWithAndWithoutAChain() {
        try (SluiceDriver sluice = sluice()) {
            // given: no binding yet
            sluice.send("orders.in", record(null, null));
            sluice.send("orders.in", record("k", null));
            sluice.send("orders.in", record(null, "v"));
            assertRecords(List.of(record(null, null), record("k", null), record(null, "v")), sluice.read("orders.out"));

            // when: a chain runs on them
            sluice.apply(SHOW_CONTEXT);
            sluice.send("orders.in", record(null, null));
            sluice.send("orders.in", record("k", null));
            sluice.send("orders.in", record(null, "v"));

            // then
            assertRecords(List.of(
                    record(null, null, "x-vcluster", "payments", "x-user", "[]"),
                    record("k", null, "x-vcluster", "payments", "x-user", "[]"),
                    record(null, "v", "x-vcluster", "payments", "x-user", "[]")),
                sluice.read("orders.out"));
            assertRecords(List.of(), sluice.rejected());
        }
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

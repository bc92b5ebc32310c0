package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.sluice.topology.TopologyFile.AuditTopics;

class RoutingTest {

    private static final Routing DEFAULT = new Routing(TopologyFiles.read(TopologyFiles.DEFAULT_FILE).topology());

    @Test
    void aTopicRouteCarriesItsFixedVcluster() {
        assertEquals(Optional.of(new TopicRoute(0, "orders.in", "orders.out", "payments", false)),
            DEFAULT.route("orders.in"));
    }

    @Test
    void aPatternRouteCapturesTheVclusterAndFillsTheEgressTemplate() {
        assertEquals(Optional.of(new TopicRoute(1, "tenant-acme-eu.in", "tenant-acme-eu.out", "acme-eu", false)),
            DEFAULT.route("tenant-acme-eu.in"));
    }

    @Test
    void aHeaderRouteTrustsTheHeaderAndFallsBackToDefault() {
        // given
        final TopicRoute shared = DEFAULT.route("shared.in").orElseThrow();

        // then
        assertEquals(new TopicRoute(2, "shared.in", "shared.out", "default", true), shared);
        assertEquals("acme", shared.vcluster("acme"));
        assertEquals("default", shared.vcluster((String) null));
    }

    @Test
    void otherRoutesIgnoreTheHeader() {
        // given
        final TopicRoute orders = DEFAULT.route("orders.in").orElseThrow();
        final TopicRoute tenant = DEFAULT.route("tenant-a.in").orElseThrow();

        // then
        assertEquals("payments", orders.vcluster("acme"));
        assertEquals("a", tenant.vcluster("acme"));
    }

    @Test
    void aRouteWithoutVclusterSourceGivesTheDefaultVcluster() {
        assertEquals("default", routing(new Route("a.in", "a.out", null, false)).route("a.in").orElseThrow().vcluster());
        assertEquals("default", routing(new Route("a-(?<vcluster>[a-z]*)", "b", null, false))
            .route("a-").orElseThrow().vcluster());
    }

    @Test
    void otherTopicsAreNotRouted() {
        assertEquals(Optional.empty(), DEFAULT.route("orders.out"));
        assertEquals(Optional.empty(), DEFAULT.route("ordersXin"));
        assertEquals(Optional.empty(), DEFAULT.route("tenant-ACME.in"));
        assertEquals(Optional.empty(), DEFAULT.route("xtenant-a.in"));
    }

    @Test
    void theAnswerForATopicIsComputedOnce() {
        assertSame(DEFAULT.route("tenant-cached.in").orElseThrow(), DEFAULT.route("tenant-cached.in").orElseThrow());
        assertSame(DEFAULT.route("orders.in").orElseThrow().egress(), DEFAULT.route("orders.in").orElseThrow().egress());
    }

    @Test
    void aTopicRouteWinsOverPatternsAndTheFirstPatternWins() {
        // given
        final Routing routing = routing(
            new Route("(?<vcluster>.+)\\.in", "${vcluster}.first", null, false),
            new Route("(?<vcluster>[a-z]+)\\.in", "${vcluster}.second", null, false),
            new Route("exact.in", "exact.out", "fixed", false));

        // then
        assertEquals("exact.out", routing.route("exact.in").orElseThrow().egress());
        assertEquals("abc.first", routing.route("abc.in").orElseThrow().egress());
    }

    @Test
    void severalGroupsFillTheTemplate() {
        // given
        final Routing routing = routing(new Route("(?<env>dev|prod)\\.(?<vcluster>[a-z]+)\\.in", "${env}.${vcluster}.out", null, false));

        // then
        assertEquals(Optional.of(new TopicRoute(0, "prod.acme.in", "prod.acme.out", "acme", false)), routing.route("prod.acme.in"));
    }

    @Test
    void sluiceOwnAndInternalTopicsAreNeverRoutedEvenByACatchAllPattern() {
        // given: a pattern for every name without a dot (its egress has one, or it would loop)
        final Routing routing = routing(new Route("[^.]+", "everything.out", null, false));

        // then
        assertTrue(routing.route("anything").isPresent());
        for (final String topic : List.of("_sluice_bindings", "_sluice_audit_acks", "_sluice_audit_commits",
            "_sluice_rejected", "__consumer_offsets", "__transaction_state", "sluice-store-changelog",
            "sluice-KSTREAM-0001-repartition")) {
            assertEquals(Optional.empty(), routing.route(topic), topic);
            assertFalse(routing.subscription().matcher(topic).matches(), topic);
        }
    }

    @Test
    void aTopicWhoseTemplatedEgressWouldBeRoutedAgainIsNotRouted() {
        // given: tenant-a's egress tenant-a-out matches the ingress pattern again, and so on for ever
        final Routing routing = routing(new Route("tenant-(?<vcluster>.+)", "tenant-${vcluster}-out", null, false),
            new Route("x-(?<vcluster>.+)", "_sluice_rejected${vcluster}", null, false));

        // then
        assertEquals(Optional.empty(), routing.route("tenant-a"));
        assertEquals(Optional.empty(), routing.route("tenant-a-out"));
        assertTrue(routing.route("x-1").isPresent());
    }

    @Test
    void aTemplatedEgressThatIsSluicesOwnTopicOrTooLongIsNotRouted() {
        // given
        final Routing routing = routing(new Route("x-(?<vcluster>.+)", "_sluice_${vcluster}", null, false),
            new Route("y-(?<vcluster>.+)", "${vcluster}${vcluster}", null, false));

        // then
        assertEquals(Optional.empty(), routing.route("x-rejected"));
        assertTrue(routing.route("x-other").isPresent());
        assertEquals(Optional.empty(), routing.route("y-" + "a".repeat(200)));
    }

    @Test
    void theSubscriptionMatchesWhatRoutesReadEvenWithRepeatedGroupNames() {
        // given
        final Routing routing = routing(new Route("a-(?<vcluster>.+)", "a.out", null, false),
            new Route("b-(?<vcluster>.+)", "b-${vcluster}.out", null, false),
            new Route("c.in", "c.out", null, false));

        // then
        for (final String topic : List.of("a-1", "b-2", "c.in")) {
            assertTrue(routing.subscription().matcher(topic).matches(), topic);
        }
        for (final String topic : List.of("cXin", "c.out", "a.out", "d")) {
            assertFalse(routing.subscription().matcher(topic).matches(), topic);
        }
    }

    @Test
    void onlyRoutesThatArePartOfAChainTrackTheRoutesARecordPassed() {
        // given: a.in -> b.in -> c.out, and a template whose shape could write "t-anything.mid"
        final Routing routing = routing(new Route("a.in", "b.in", null, false), new Route("b.in", "c.out", null, false),
            new Route("t-(?<vcluster>[a-z]+)\\.in", "t-${vcluster}.mid", null, false),
            new Route("t-(?<vcluster>[a-z]+)\\.mid", "t-${vcluster}.end", null, false));

        // then: the first hop writes marks, the last reads them, a route outside any chain has none
        final RouteHops first = routing.route("a.in").orElseThrow().hops();
        final RouteHops last = routing.route("b.in").orElseThrow().hops();
        assertEquals(List.of(false, true), List.of(first.read(), first.write()));
        assertEquals(List.of(true, false), List.of(last.read(), last.write()));
        assertTrue(routing.route("t-x.in").orElseThrow().hops().write());
        assertTrue(routing.route("t-x.mid").orElseThrow().hops().read());
        assertEquals(null, DEFAULT.route("orders.in").orElseThrow().hops());
        assertEquals(null, DEFAULT.route("tenant-a.in").orElseThrow().hops());
    }

    private static Routing routing(final Route... routes) {
        return new Routing(new TopologyFile("sluice", "_sluice_bindings", AuditTopics.DEFAULT, "_sluice_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(routes)));
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

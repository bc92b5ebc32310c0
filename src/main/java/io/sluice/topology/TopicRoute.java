package io.sluice.topology;

/**
 * How records of one ingress topic are routed: computed once per topic by {@link Routing#route(String)}.
 *
 * @param route              the route's position in {@code routes}, from 0
 * @param ingress            the ingress topic
 * @param egress             the egress topic (templates already filled in)
 * @param vcluster           the vcluster of this topic's records: the route's fixed one, the one captured from the
 *                           topic name, or {@code default}; on a header route, the fallback when there is no header
 * @param vclusterFromHeader whether the {@code sluice-vcluster} header, when present, gives the vcluster
 * @param identity           the key that must have signed the identity headers, or {@code null} (not signed)
 * @param hops               where the route is part of a chain of routes: the routes a record passed, checked and
 *                           written; {@code null} for a route that is no part of one
 */
public record TopicRoute(int route, String ingress, String egress, String vcluster, boolean vclusterFromHeader,
                         IdentitySignature identity, RouteHops hops) {

    public TopicRoute(final int route, final String ingress, final String egress, final String vcluster,
                      final boolean vclusterFromHeader, final IdentitySignature identity) {
        this(route, ingress, egress, vcluster, vclusterFromHeader, identity, null);
    }

    public TopicRoute(final int route, final String ingress, final String egress, final String vcluster,
                      final boolean vclusterFromHeader) {
        this(route, ingress, egress, vcluster, vclusterFromHeader, null);
    }

    /**
     * The vcluster of a record whose {@code sluice-vcluster} header claims {@code claimed} ({@code null} when
     * absent or empty, as {@link IdentityHeaders} reads it). Only routes with {@code vclusterFrom: header} trust
     * the claim; every other route ignores it.
     */
    public String vcluster(final String claimed) {
        return vclusterFromHeader && claimed != null ? claimed : vcluster;
    }
}

package io.sluice.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How records of one ingress topic are routed: computed once per topic by {@link Routing#route(String)}.
 *
 * @param route              the route's position in {@code routes}, from 0
 * @param ingress            the ingress topic
 * @param egress             the egress topic (templates already filled in)
 * @param vcluster           the vcluster of this topic's records: the route's fixed one, the one captured from the
 *                           topic name, or {@code default}; on a header route, the fallback when there is no header
 * @param vclusterFromHeader whether the {@code sluice-vcluster} header, when present, gives the vcluster
 */
public record TopicRoute(int route, String ingress, String egress, String vcluster, boolean vclusterFromHeader) {

    /** The header a {@code vclusterFrom: header} route trusts. */
    public static final String VCLUSTER_HEADER = "sluice-vcluster";

    /**
     * The vcluster of a record, given its raw {@code sluice-vcluster} header value ({@code null} when absent).
     * Routes that do not trust the header ignore it; an empty header counts as absent.
     */
    public String vcluster(final byte[] header) {
        if (!vclusterFromHeader || header == null || header.length == 0) {
            return vcluster;
        }
        return new String(header, StandardCharsets.UTF_8);
    }

    /** The vcluster of a record with these headers; reads them only on routes that trust the header. */
    public String vcluster(final Headers headers) {
        if (!vclusterFromHeader) {
            return vcluster;
        }
        final Header header = headers.lastHeader(VCLUSTER_HEADER);
        return vcluster(header == null ? null : header.value());
    }
}

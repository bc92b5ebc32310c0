package io.sluice.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The routes a record has passed, where routes form a chain (a route reads another route's egress): the run-time
 * half of cycle detection. A cycle through a templated egress only shows with real topic names, so each egress
 * record that another route reads carries the header {@value #HEADER} once per route it has passed, in order, with
 * the value {@code <applicationId>/<the route's ingress as written>} (UTF-8). A record that would pass a route a
 * second time is rejected with the routes it passed. The header is written by Sluice only (a chain's plugins cannot
 * change it), read only on topics a route of the topology may write, and removed from the last egress of a chain.
 * Routes that are no part of a chain have no {@code RouteHops} and pay nothing.
 */
public final class RouteHops {

    /** One per route passed; the value names the application and the route. */
    public static final String HEADER = "sluice-hop";

    private final String prefix;
    private final byte[] mark;
    private final String route;
    private final boolean read;
    private final boolean write;

    /**
     * @param read  whether records on the topic may come from a route (their marks are checked)
     * @param write whether the topic's egress is read by another route (egress records get this route's mark)
     */
    RouteHops(final String applicationId, final CompiledRoute route, final boolean read, final boolean write) {
        this.prefix = applicationId + "/";
        this.mark = (prefix + route.route().ingress()).getBytes(StandardCharsets.UTF_8);
        this.route = route.field() + " (" + route.route().ingress() + ")";
        this.read = read;
        this.write = write;
    }

    /** Whether records on this topic may carry marks of this topology's routes. */
    public boolean read() {
        return read;
    }

    /** Whether egress records of this topic get this route's mark (another route reads the egress). */
    public boolean write() {
        return write;
    }

    /** Why a record with these headers may not pass this route (it passed it already), or {@code null}. */
    String reentry(final Headers headers) {
        if (!read) {
            return null;
        }
        for (final Header header : headers) {
            if (HEADER.equals(header.key()) && Arrays.equals(mark, header.value())) {
                return "the record would pass " + route + " a second time: the routes form a cycle (it came through "
                    + String.join(" -> ", passed(headers)) + ")";
            }
        }
        return null;
    }

    /**
     * The headers of the egress record: the chain's {@code result} headers without any mark in them, then the marks
     * the record came with ({@code ingress}, as it arrived) and this route's, when another route reads the egress;
     * without marks at the end of a chain. {@code result} itself when there is nothing to change.
     */
    Headers egressHeaders(final Headers ingress, final Headers result) {
        if (!write && result.lastHeader(HEADER) == null) {
            return result;
        }
        final Headers headers = new RecordHeaders();
        for (final Header header : result) {
            if (!HEADER.equals(header.key())) {
                headers.add(header);
            }
        }
        if (write) {
            if (read) {
                ingress.headers(HEADER).forEach(headers::add);
            }
            headers.add(HEADER, mark);
        }
        return headers;
    }

    /** The routes a record's marks name, by their ingress (marks of other applications as they are). */
    private List<String> passed(final Headers headers) {
        final List<String> passed = new ArrayList<>();
        for (final Header header : headers.headers(HEADER)) {
            final String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            passed.add(value.startsWith(prefix) ? value.substring(prefix.length()) : value);
        }
        return passed;
    }

    @Override
    public String toString() {
        return "RouteHops[" + route + (read ? ", read" : "") + (write ? ", write" : "") + "]";
    }
}

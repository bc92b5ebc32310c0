package io.sluice.topology;

import java.util.Set;

import org.apache.kafka.common.header.Headers;

import io.sluice.chain.RecordOutcome.ErrorKind;
import io.sluice.resolution.Chain;
import io.sluice.resolution.Context;
import io.sluice.resolution.Resolver;

/**
 * Whether an ingress record is processed, and as whom: the one admission of records, for the chain processor and
 * for {@code onConsume} alike, so that an interceptor never observes a record the chain would refuse, nor under
 * another identity. In order: the topic's route (none: {@code NOT_ROUTED}); the identity headers
 * ({@link IdentityHeaders}; unreadable: {@code INVALID_CONTEXT}); on an {@code identity: signed} route, their
 * signature ({@link IdentitySignature}; missing or wrong: {@code INVALID_CONTEXT}); where routes form a chain, that
 * the record has not passed this route already ({@link RouteHops}; {@code NOT_ROUTED}). The vcluster is the route's
 * answer for the identity.
 *
 * <p>Like a {@link java.util.regex.Matcher}: {@link #admit} fills it and the accessors read that answer, so the hot
 * path allocates nothing here. Not thread-safe: one per processor, or per call.
 */
public final class Admission {

    private final Routing routing;
    private String topic;
    private TopicRoute route;
    private IdentityHeaders.Identity identity;
    private String vcluster;
    private ErrorKind refusal;
    private String reason;

    public Admission(final Routing routing) {
        this.routing = routing;
    }

    /** Decides on a record of {@code topic} with these headers; {@code true} when it is admitted. */
    public boolean admit(final String topic, final Headers headers) {
        this.topic = topic;
        route = routing.route(topic).orElse(null);
        identity = IdentityHeaders.read(headers, route != null && route.vclusterFromHeader());
        vcluster = route == null ? Context.DEFAULT_VCLUSTER : route.vcluster(identity.vcluster());
        if (route == null) {
            return refuse(ErrorKind.NOT_ROUTED, "the topic '" + topic + "' has no route (its egress would be read again)");
        }
        if (identity.problem() != null) {
            return refuse(ErrorKind.INVALID_CONTEXT, identity.problem());
        }
        final String unsigned = route.identity() == null ? null : route.identity().problem(headers);
        if (unsigned != null) {
            return refuse(ErrorKind.INVALID_CONTEXT, unsigned);
        }
        final String again = route.hops() == null ? null : route.hops().reentry(headers);
        if (again != null) {
            return refuse(ErrorKind.NOT_ROUTED, again);
        }
        refusal = null;
        reason = null;
        return true;
    }

    private boolean refuse(final ErrorKind kind, final String why) {
        refusal = kind;
        reason = why;
        return false;
    }

    /**
     * The admitted record's chain. Kept with the (cached) identity while the resolver's bindings stay as they are,
     * so that a record of a known user costs no resolver lookup: with many users, that lookup missed the CPU's
     * caches as often as the identity's own.
     */
    public Chain chain(final Resolver resolver) {
        final long generation = resolver.generation();
        final IdentityHeaders.ChainMemo memo = identity.memo;
        if (memo != null && memo.generation() == generation && memo.topic().equals(topic)
            && memo.vcluster().equals(vcluster)) {
            return memo.chain();
        }
        final Chain chain = resolver.resolve(new Context(vcluster, identity.username(), identity.groups(), topic));
        identity.memo = new IdentityHeaders.ChainMemo(generation, topic, vcluster, chain);
        return chain;
    }

    /** The record's route; {@code null} when its topic has none. */
    public TopicRoute route() {
        return route;
    }

    /** The vcluster: the route's, or the one its header claims where the route trusts it. */
    public String vcluster() {
        return vcluster;
    }

    /** The user the identity headers name, or {@code null} (anonymous, or unreadable). */
    public String username() {
        return identity.username();
    }

    public Set<String> groups() {
        return identity.groups();
    }

    /** Why the record was refused, or {@code null} when it was admitted. */
    public ErrorKind refusal() {
        return refusal;
    }

    /** The reason for a person, or {@code null} when the record was admitted. */
    public String reason() {
        return reason;
    }
}

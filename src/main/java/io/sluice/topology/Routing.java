package io.sluice.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.resolution.Context;

/**
 * The per-record view of a topology file: is a topic routed, where to, and with which vcluster.
 * The answer for a topic is computed once and cached, so a per-record call is one map lookup. Thread-safe.
 *
 * <p>A topic is <b>not</b> routed when no route reads it, or when it is one of the topics Sluice must never
 * read as ingress: its own topics (config, audit, rejected), Kafka's internal topics ({@code __*}) and the
 * application's Streams-internal topics ({@code <applicationId>-*-changelog|repartition}) — a broad pattern
 * such as {@code .*} does not loop through them. A topic whose egress is one of those topics, or no valid topic
 * name, or read again by the very route that wrote it (a pattern that matches its own egress) is not routed
 * either, with one warning.
 *
 * <p><b>Chains.</b> An egress that another route reads is routed again: routes form a graph. Validation refuses the
 * cycles the routes alone show; the others (through templated egresses) are caught per record with
 * {@link RouteHops}, which a topic's route carries when it is part of a chain.
 */
public final class Routing {

    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

    private final TopologyFile topology;
    private final RouteTable table;
    private final Set<String> ownTopics;
    private final String streamsInternalPrefix;
    private final Pattern subscription;
    /** Egress topics and templates' shapes: a topic that matches none cannot hold a route's output. */
    private final Set<String> fixedEgresses;
    private final List<Pattern> templatedEgresses;
    private final ConcurrentMap<String, Optional<TopicRoute>> byTopic = new ConcurrentHashMap<>();

    public Routing(final TopologyFile topology) {
        this.topology = topology;
        this.table = new RouteTable(IntStream.range(0, topology.routes().size())
            .mapToObj(index -> CompiledRoute.compile(index, topology.routes().get(index)))
            .toList());
        this.ownTopics = topology.ownTopics();
        this.streamsInternalPrefix = topology.applicationId() + "-";
        this.subscription = subscription(topology);
        this.fixedEgresses = table.routes().stream().filter(route -> !route.egress().hasPlaceholders())
            .map(route -> route.route().egress()).collect(Collectors.toUnmodifiableSet());
        this.templatedEgresses = table.routes().stream().filter(route -> route.egress().hasPlaceholders())
            .map(route -> route.egress().shape()).toList();
    }

    public TopologyFile topology() {
        return topology;
    }

    /** How records of {@code topic} are routed, or empty when Sluice does not route that topic. */
    public Optional<TopicRoute> route(final String topic) {
        final Optional<TopicRoute> known = byTopic.get(topic);
        return known != null ? known : byTopic.computeIfAbsent(topic, this::resolve);
    }

    /**
     * One regex for the Streams source ({@code StreamsBuilder.stream(Pattern)}) that matches every topic a
     * route reads, existing or future, and none of Sluice's own or internal topics. It can still match a topic
     * whose egress loops ({@link #route} says no): the processor rejects those records.
     */
    public Pattern subscription() {
        return subscription;
    }

    private Optional<TopicRoute> resolve(final String topic) {
        final CompiledRoute route = reads(topic);
        if (route == null) {
            return Optional.empty();
        }
        final Matcher matcher = route.pattern() == null ? null : route.match(topic);
        final String egress = route.egress().render(matcher);
        final String loop = loopReason(route, egress);
        if (loop != null) {
            LOG.warn("{}: not routing topic '{}': its egress '{}' {}", route.field(), topic, egress, loop);
            return Optional.empty();
        }
        final boolean fromRoute = mayHoldEgress(topic);
        final boolean toRoute = reads(egress) != null;
        return Optional.of(new TopicRoute(route.index(), topic, egress, vcluster(route, matcher),
            route.route().vclusterFromHeader(), route.route().identity(),
            fromRoute || toRoute ? new RouteHops(topology.applicationId(), route, fromRoute, toRoute) : null));
    }

    /** Whether a route of this topology may write {@code topic}: its records may have passed routes already. */
    private boolean mayHoldEgress(final String topic) {
        if (fixedEgresses.contains(topic)) {
            return true;
        }
        for (final Pattern shape : templatedEgresses) {
            if (shape.matcher(topic).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The route that reads {@code topic}, leaving out the topics Sluice must never read. */
    private CompiledRoute reads(final String topic) {
        return neverRouted(topic) ? null : table.find(topic);
    }

    private boolean neverRouted(final String topic) {
        return ownTopics.contains(topic) || topic.startsWith("__")
            || topic.startsWith(streamsInternalPrefix) && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }

    /** Why that egress of {@code route} cannot be written, or {@code null} when it can. */
    private String loopReason(final CompiledRoute route, final String egress) {
        if (!Topic.isValid(egress)) {
            return "is not a valid topic name";
        }
        if (neverRouted(egress)) {
            return "is one of Sluice's own or internal topics";
        }
        return table.find(egress) == route ? "is read again by the same route, for ever" : null;
    }

    private static String vcluster(final CompiledRoute route, final Matcher matcher) {
        if (route.route().vcluster() != null) {
            return route.route().vcluster();
        }
        if (route.capturesVcluster()) {
            final String captured = matcher.group(Route.VCLUSTER_GROUP);
            return captured == null || captured.isEmpty() ? Context.DEFAULT_VCLUSTER : captured;
        }
        return Context.DEFAULT_VCLUSTER;
    }

    private static Pattern subscription(final TopologyFile topology) {
        final List<String> excluded = new ArrayList<>();
        topology.ownTopics().forEach(topic -> excluded.add(Pattern.quote(topic)));
        excluded.add("__.*");
        excluded.add(Pattern.quote(topology.applicationId() + "-") + ".*-(?:changelog|repartition)");
        // Group names may repeat across routes, which one regex does not allow: drop them, they are not used here.
        final String routes = topology.routes().stream()
            .map(route -> route.isPattern() ? NamedGroups.withoutNames(route.ingress()) : Pattern.quote(route.ingress()))
            .map(regex -> "(?:" + regex + ")")
            .collect(Collectors.joining("|"));
        return Pattern.compile("(?!(?:" + String.join("|", excluded) + ")$)(?:" + routes + ")");
    }
}

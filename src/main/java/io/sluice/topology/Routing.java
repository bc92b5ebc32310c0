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
 * such as {@code .*} does not loop through them. A topic whose egress would be routed again (it is read by a
 * route, or is one of those topics, or is no valid topic name) is not routed either, with one warning: such an
 * egress feeds Sluice its own output, for ever when a pattern matches its own egress.
 */
public final class Routing {

    private static final Logger LOG = LoggerFactory.getLogger(Routing.class);

    private final TopologyFile topology;
    private final RouteTable table;
    private final Set<String> ownTopics;
    private final String streamsInternalPrefix;
    private final Pattern subscription;
    private final ConcurrentMap<String, Optional<TopicRoute>> byTopic = new ConcurrentHashMap<>();

    public Routing(final TopologyFile topology) {
        this.topology = topology;
        this.table = new RouteTable(IntStream.range(0, topology.routes().size())
            .mapToObj(index -> CompiledRoute.compile(index, topology.routes().get(index)))
            .toList());
        this.ownTopics = topology.ownTopics();
        this.streamsInternalPrefix = topology.applicationId() + "-";
        this.subscription = subscription(topology);
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
     * whose egress loops ({@link #route} says no): the processor drops those records.
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
        final String loop = loopReason(egress);
        if (loop != null) {
            LOG.warn("{}: not routing topic '{}': its egress '{}' {}", route.field(), topic, egress, loop);
            return Optional.empty();
        }
        return Optional.of(new TopicRoute(route.index(), topic, egress, vcluster(route, matcher),
            route.route().vclusterFromHeader(), route.route().identity()));
    }

    /** The route that reads {@code topic}, leaving out the topics Sluice must never read. */
    private CompiledRoute reads(final String topic) {
        return neverRouted(topic) ? null : table.find(topic);
    }

    private boolean neverRouted(final String topic) {
        return ownTopics.contains(topic) || topic.startsWith("__")
            || topic.startsWith(streamsInternalPrefix) && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }

    /** Why that egress cannot be written without feeding Sluice its own output, or {@code null} when it can. */
    private String loopReason(final String egress) {
        if (!Topic.isValid(egress)) {
            return "is not a valid topic name";
        }
        if (neverRouted(egress)) {
            return "is one of Sluice's own or internal topics";
        }
        final CompiledRoute again = table.find(egress);
        return again == null ? null : "is read again by " + again.field() + ".ingress";
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

package io.sluice.topology;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A valid route with its regex compiled and its egress template parsed, once.
 *
 * @param index   the route's position in {@code routes}, from 0 (for messages: {@code routes[1]})
 * @param route   the route as written
 * @param pattern the compiled ingress, or {@code null} when the ingress is one topic
 * @param groups  the names of the pattern's named groups (empty for a topic)
 * @param egress  the parsed egress
 */
record CompiledRoute(int index, Route route, Pattern pattern, List<String> groups, EgressTemplate egress) {

    /** Compiles a route that validation accepted; anything else is our bug. */
    static CompiledRoute compile(final int index, final Route route) {
        final EgressTemplate.Parsed egress = EgressTemplate.parse(route.egress());
        if (egress.template() == null) {
            throw new IllegalArgumentException("routes[" + index + "].egress: " + egress.problem());
        }
        return route.isPattern()
            ? new CompiledRoute(index, route, Pattern.compile(route.ingress()), NamedGroups.names(route.ingress()),
                egress.template())
            : new CompiledRoute(index, route, null, List.of(), egress.template());
    }

    String field() {
        return "routes[" + index + "]";
    }

    /** A matcher that matched the whole topic name, or {@code null}; only for pattern routes. */
    Matcher match(final String topic) {
        final Matcher matcher = pattern.matcher(topic);
        return matcher.matches() ? matcher : null;
    }

    boolean capturesVcluster() {
        return groups.contains(Route.VCLUSTER_GROUP);
    }
}

package io.sluice.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which route reads a topic: the route whose ingress is that very topic, else the first pattern route (in file
 * order) whose regex matches the whole name. Shared by validation (does an egress feed a route again?) and by
 * {@link Routing}.
 */
final class RouteTable {

    private final List<CompiledRoute> routes;
    private final Map<String, CompiledRoute> byTopic = new HashMap<>();
    private final List<CompiledRoute> patterns = new ArrayList<>();

    RouteTable(final List<CompiledRoute> routes) {
        this.routes = List.copyOf(routes);
        for (final CompiledRoute route : routes) {
            if (route.pattern() == null) {
                byTopic.putIfAbsent(route.route().ingress(), route);
            } else {
                patterns.add(route);
            }
        }
    }

    /** Every route, in file order. */
    List<CompiledRoute> routes() {
        return routes;
    }

    /** The route that reads {@code topic}, or {@code null}. */
    CompiledRoute find(final String topic) {
        final CompiledRoute exact = byTopic.get(topic);
        if (exact != null) {
            return exact;
        }
        for (final CompiledRoute route : patterns) {
            if (route.pattern().matcher(topic).matches()) {
                return route;
            }
        }
        return null;
    }
}

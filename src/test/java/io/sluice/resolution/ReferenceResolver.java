package io.sluice.resolution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;

/**
 * The resolution rules (README, "Resolution") read literally, with no index, cache or shortcut: the oracle the indexed resolver is held
 * against. Shares no code with the main resolution code on purpose.
 */
final class ReferenceResolver implements Resolver {

    private final Map<BindingId, Binding> bindings = new LinkedHashMap<>();
    private long generation = Generations.next();

    void put(final Binding binding) {
        bindings.put(binding.id(), binding);
        generation = Generations.next();
    }

    void remove(final BindingId id) {
        bindings.remove(id);
        generation = Generations.next();
    }

    void load(final Collection<Binding> all) {
        bindings.clear();
        all.forEach(this::put);
    }

    @Override
    public long generation() {
        return generation;
    }

    Collection<Binding> bindings() {
        return List.copyOf(bindings.values());
    }

    @Override
    public Chain resolve(final Context context) {
        return resolve(bindings.values(), context);
    }

    static Chain resolve(final Collection<Binding> all, final Context context) {
        // Matching: every field the scope sets matches.
        final List<Binding> matching = all.stream().filter(binding -> matches(binding.scope(), context)).toList();
        final List<Binding> chain = new ArrayList<>();
        // 1. For every interceptor name, keep only the most precise matching binding ...
        final TreeSet<String> names = new TreeSet<>();
        matching.forEach(binding -> names.add(binding.name()));
        for (final String name : names) {
            final List<Binding> ofName = matching.stream().filter(binding -> binding.name().equals(name)).toList();
            final String level = ofName.stream().map(binding -> level(binding.scope()))
                .min(Comparator.comparingInt(ReferenceResolver::rank)).orElseThrow();
            final List<Binding> atLevel = ofName.stream().filter(binding -> level(binding.scope()).equals(level)).toList();
            if (level.equals("group")) {
                // 2. ... except at the group level: one instance per matching group, each its own most precise.
                final TreeSet<String> groups = new TreeSet<>();
                atLevel.forEach(binding -> groups.add(binding.scope().group()));
                for (final String group : groups) {
                    chain.add(vclusterFirst(atLevel.stream().filter(binding -> binding.scope().group().equals(group)).toList()));
                }
            } else {
                chain.add(vclusterFirst(atLevel));
            }
        }
        // 3. Priority ascending; ties by name, then group.
        chain.sort(Comparator.comparingInt(Binding::priority).thenComparing(Binding::name)
            .thenComparing(binding -> binding.scope().group() == null ? "" : binding.scope().group()));
        // 4. Then the topics filter, without fallback; no topic, no filter.
        final String topic = context.topic();
        chain.removeIf(binding -> topic != null && binding.topics() != null && !binding.topics().matcher(topic).matches());
        return new Chain(chain);
    }

    private static boolean matches(final BindingScope scope, final Context context) {
        final boolean vclusterMatches = scope.vcluster() == null || scope.vcluster().equals(context.vcluster());
        final boolean groupMatches = scope.group() == null || context.groups().contains(scope.group());
        final boolean usernameMatches = scope.username() == null || scope.username().equals(context.username());
        return vclusterMatches && groupMatches && usernameMatches;
    }

    private static String level(final BindingScope scope) {
        if (scope.username() != null) {
            return "username";
        }
        if (scope.group() != null) {
            return "group";
        }
        return scope.vcluster() != null ? "vcluster" : "global";
    }

    private static int rank(final String level) {
        return List.of("username", "group", "vcluster", "global").indexOf(level);
    }

    /** Within the username and group levels, the scope that also names the vcluster is more precise. */
    private static Binding vclusterFirst(final List<Binding> candidates) {
        return candidates.stream().filter(binding -> binding.scope().vcluster() != null).findFirst()
            .orElse(candidates.get(0));
    }
}

package io.sluice.resolution;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;

/**
 * SPEC section 2 as a pure function: which bindings run, in which order, for a context. The cached,
 * indexed {@link IndexedResolver} only narrows the candidates and remembers results; the rules are here.
 */
public final class Resolution {

    /** Priority ascending; ties by name, then group: never indeterminate. */
    static final Comparator<Binding> EXECUTION_ORDER = Comparator.comparingInt(Binding::priority)
        .thenComparing(Binding::name)
        .thenComparing(binding -> binding.scope().group(), Comparator.nullsFirst(Comparator.naturalOrder()));

    private Resolution() {
    }

    /**
     * The chain for {@code context} out of {@code candidates}. Candidates that do not match the context are
     * ignored, so passing every binding is correct, just slower. Candidates are expected to have distinct
     * {@link io.sluice.bindings.BindingId}s (as in the config topic); should two share one, the first wins.
     */
    public static Chain resolve(final Collection<Binding> candidates, final Context context) {
        final Map<String, Selection> byName = new HashMap<>();
        for (final Binding binding : candidates) {
            if (matches(binding.scope(), context)) {
                byName.computeIfAbsent(binding.name(), name -> new Selection()).offer(binding);
            }
        }
        final List<Binding> chain = new ArrayList<>(byName.size() + 4);
        for (final Selection selection : byName.values()) {
            selection.addTo(chain);
        }
        chain.sort(EXECUTION_ORDER);
        // After selection, so a binding filtered out by topic does not fall back to a less precise one.
        chain.removeIf(binding -> !binding.appliesToTopic(context.topic()));
        return chain.isEmpty() ? Chain.EMPTY : new Chain(chain);
    }

    /** Every field the scope sets matches: vcluster equal, group a member of the groups, username equal. */
    public static boolean matches(final BindingScope scope, final Context context) {
        return (scope.vcluster() == null || scope.vcluster().equals(context.vcluster()))
            && (scope.group() == null || context.groups().contains(scope.group()))
            && (scope.username() == null || scope.username().equals(context.username()));
    }

    /** Lower is more precise: username+vcluster, username, group+vcluster, group, vcluster, global. */
    static int precision(final BindingScope scope) {
        final int qualified = scope.namesVcluster() ? 0 : 1;
        return switch (scope.level()) {
            case USERNAME -> qualified;
            case GROUP -> 2 + qualified;
            case VCLUSTER -> 4;
            case GLOBAL -> 5;
        };
    }

    private static boolean isUsernameLevel(final Binding binding) {
        return precision(binding.scope()) < 2;
    }

    private static boolean isGroupLevel(final Binding binding) {
        final int precision = precision(binding.scope());
        return precision == 2 || precision == 3;
    }

    /** The most precise matching binding(s) of one name seen so far. */
    private static final class Selection {

        /** The pick when the most precise level is not group. */
        private Binding single;
        /** At the group level: each matching group's own most precise binding; null otherwise. */
        private Map<String, Binding> perGroup;

        void offer(final Binding binding) {
            if (isGroupLevel(binding)) {
                offerGroupLevel(binding);
            } else if (perGroup != null) {
                // Only a username scope beats the group level.
                if (isUsernameLevel(binding)) {
                    perGroup = null;
                    single = binding;
                }
            } else if (single == null || precision(binding.scope()) < precision(single.scope())) {
                single = binding;
            }
        }

        private void offerGroupLevel(final Binding binding) {
            if (single != null && isUsernameLevel(single)) {
                return;
            }
            single = null;
            if (perGroup == null) {
                perGroup = new HashMap<>(4);
            }
            final Binding current = perGroup.get(binding.scope().group());
            if (current == null || precision(binding.scope()) < precision(current.scope())) {
                perGroup.put(binding.scope().group(), binding);
            }
        }

        void addTo(final List<Binding> chain) {
            if (perGroup != null) {
                chain.addAll(perGroup.values());
            } else {
                chain.add(single);
            }
        }
    }
}

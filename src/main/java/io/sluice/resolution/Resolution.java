package io.sluice.resolution;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;

/**
 * SPEC section 2 as a pure function: which bindings run, in which order, for a context. The cached,
 * indexed {@link IndexedResolver} only narrows the candidates and remembers results; the rules are here.
 */
public final class Resolution {

    private Resolution() {
    }

    /**
     * The chain for {@code context} out of {@code candidates}. Candidates that do not match the context are
     * ignored, so passing every binding is correct, just slower. Candidates are expected to have distinct
     * {@link io.sluice.bindings.BindingId}s (as in the config topic); should two share one, the first wins.
     */
    public static Chain resolve(final Collection<Binding> candidates, final Context context) {
        final Selector selector = new Selector(candidates.size());
        for (final Binding binding : candidates) {
            selector.offerIfMatches(binding, context);
        }
        return selector.chain(context.topic(), Binding::appliesToTopic);
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

    /** Priority ascending; ties by name, then group (the only field that differs between instances of a name). */
    static int executionOrder(final Binding left, final Binding right) {
        final int byPriority = Integer.compare(left.priority(), right.priority());
        if (byPriority != 0) {
            return byPriority;
        }
        final int byName = left.name().compareTo(right.name());
        if (byName != 0) {
            return byName;
        }
        final String leftGroup = left.scope().group();
        final String rightGroup = right.scope().group();
        if (leftGroup == null || rightGroup == null) {
            return leftGroup == null ? (rightGroup == null ? 0 : -1) : 1;
        }
        return leftGroup.compareTo(rightGroup);
    }

    private static boolean isGroupLevel(final int precision) {
        return precision == 2 || precision == 3;
    }

    /**
     * Steps 1 to 4 over matching bindings offered one at a time, in any order. One per resolution, not
     * thread-safe. Per name: the most precise binding, or at the group level one binding per group. An
     * open-addressing table of names (no entry objects): this runs on every cache miss.
     */
    static final class Selector {

        private String[] names;
        /** Per slot: the most precise binding; at the group level, the first group's. */
        private Binding[] picks;
        /** Per slot, at the group level only: the other groups' picks, allocated when a second group shows up. */
        private Binding[][] otherGroups;
        private int[] otherGroupCounts;
        private int size;
        private int total;

        Selector(final int expectedBindings) {
            final int capacity = Integer.highestOneBit(Math.max(8, expectedBindings) * 2 - 1) << 1;
            names = new String[capacity];
            picks = new Binding[capacity];
        }

        void offerIfMatches(final Binding binding, final Context context) {
            if (matches(binding.scope(), context)) {
                offer(binding);
            }
        }

        /** Offers a binding known to match the context. */
        void offer(final Binding binding) {
            final String name = binding.name();
            final int slot = slotOf(name);
            if (names[slot] == null) {
                names[slot] = name;
                picks[slot] = binding;
                total++;
                if (++size * 2 > names.length) {
                    grow();
                }
                return;
            }
            final Binding pick = picks[slot];
            final int precision = precision(binding.scope());
            final int pickPrecision = precision(pick.scope());
            if (isGroupLevel(precision) && isGroupLevel(pickPrecision)) {
                offerAnotherGroup(slot, binding, precision);
            } else if (precision < pickPrecision) {
                // A more precise level replaces everything picked so far for this name (step 1).
                total -= 1 + otherGroupCount(slot);
                picks[slot] = binding;
                if (otherGroupCounts != null) {
                    otherGroupCounts[slot] = 0;
                }
                total++;
            }
        }

        /** Step 2: each matching group keeps its own most precise binding (with vcluster beats without). */
        private void offerAnotherGroup(final int slot, final Binding binding, final int precision) {
            final String group = binding.scope().group();
            if (picks[slot].scope().group().equals(group)) {
                if (precision < precision(picks[slot].scope())) {
                    picks[slot] = binding;
                }
                return;
            }
            final int count = otherGroupCount(slot);
            final Binding[] others = count == 0 ? null : otherGroups[slot];
            for (int i = 0; i < count; i++) {
                if (others[i].scope().group().equals(group)) {
                    if (precision < precision(others[i].scope())) {
                        others[i] = binding;
                    }
                    return;
                }
            }
            addOtherGroup(slot, binding, count);
        }

        private void addOtherGroup(final int slot, final Binding binding, final int count) {
            if (otherGroups == null) {
                otherGroups = new Binding[names.length][];
                otherGroupCounts = new int[names.length];
            }
            Binding[] others = otherGroups[slot];
            if (others == null) {
                others = new Binding[2];
            } else if (count == others.length) {
                others = Arrays.copyOf(others, count * 2);
            }
            others[count] = binding;
            otherGroups[slot] = others;
            otherGroupCounts[slot] = count + 1;
            total++;
        }

        /** Steps 3 and 4: execution order, then the topics filter without fallback ({@code topic} null: none). */
        Chain chain(final String topic, final BiPredicate<Binding, String> appliesToTopic) {
            final Binding[] chain = new Binding[total];
            int length = 0;
            for (int slot = 0; slot < names.length; slot++) {
                if (names[slot] != null) {
                    chain[length++] = picks[slot];
                    final int count = otherGroupCount(slot);
                    for (int i = 0; i < count; i++) {
                        chain[length++] = otherGroups[slot][i];
                    }
                }
            }
            Arrays.sort(chain, Resolution::executionOrder);
            int kept = 0;
            for (final Binding binding : chain) {
                if (topic == null || appliesToTopic.test(binding, topic)) {
                    chain[kept++] = binding;
                }
            }
            if (kept == 0) {
                return Chain.EMPTY;
            }
            // List.of copies once; Chain keeps an immutable list as it is.
            return new Chain(List.of(kept == chain.length ? chain : Arrays.copyOf(chain, kept)));
        }

        private int otherGroupCount(final int slot) {
            return otherGroupCounts == null ? 0 : otherGroupCounts[slot];
        }

        private int slotOf(final String name) {
            final int mask = names.length - 1;
            int slot = spread(name.hashCode()) & mask;
            while (names[slot] != null && !names[slot].equals(name)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private static int spread(final int hash) {
            return hash ^ (hash >>> 16);
        }

        private void grow() {
            final String[] oldNames = names;
            final Binding[] oldPicks = picks;
            final Binding[][] oldOthers = otherGroups;
            final int[] oldCounts = otherGroupCounts;
            names = new String[oldNames.length * 2];
            picks = new Binding[names.length];
            otherGroups = oldOthers == null ? null : new Binding[names.length][];
            otherGroupCounts = oldCounts == null ? null : new int[names.length];
            for (int old = 0; old < oldNames.length; old++) {
                if (oldNames[old] != null) {
                    final int slot = slotOf(oldNames[old]);
                    names[slot] = oldNames[old];
                    picks[slot] = oldPicks[old];
                    if (oldOthers != null) {
                        otherGroups[slot] = oldOthers[old];
                        otherGroupCounts[slot] = oldCounts[old];
                    }
                }
            }
        }
    }
}

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
            if (matches(binding.scope(), context)) {
                selector.offer(Candidate.of(binding));
            }
        }
        return selector.chain(context.topic(), (candidate, topic) -> candidate.binding().appliesToTopic(topic));
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
    static int executionOrder(final Candidate left, final Candidate right) {
        final int byPriority = Integer.compare(left.priority(), right.priority());
        if (byPriority != 0) {
            return byPriority;
        }
        final int byName = left.name().compareTo(right.name());
        if (byName != 0) {
            return byName;
        }
        final String leftGroup = left.group();
        final String rightGroup = right.group();
        if (leftGroup == null || rightGroup == null) {
            return leftGroup == null ? (rightGroup == null ? 0 : -1) : 1;
        }
        return leftGroup.compareTo(rightGroup);
    }

    /**
     * Steps 1 to 4 over matching candidates offered one at a time, in any order. One per resolution, not
     * thread-safe. Per name: the most precise candidate, or at the group level one per group. An open-addressing
     * table of names (no entry objects): this runs on every cache miss.
     */
    static final class Selector {

        /** Per slot: the most precise candidate of a name; at the group level, the first group's. */
        private Candidate[] picks;
        /** Per slot, at the group level only: the other groups' picks, allocated when a second group shows up. */
        private Candidate[][] otherGroups;
        private int[] otherGroupCounts;
        private int size;
        private int total;

        Selector(final int expectedCandidates) {
            picks = new Candidate[Integer.highestOneBit(Math.max(8, expectedCandidates) * 2 - 1) << 1];
        }

        /** Offers a candidate known to match the context. */
        void offer(final Candidate candidate) {
            final int slot = slotOf(candidate.name());
            final Candidate pick = picks[slot];
            if (pick == null) {
                picks[slot] = candidate;
                total++;
                if (++size * 2 > picks.length) {
                    grow();
                }
            } else if (candidate.isGroupLevel() && pick.isGroupLevel()) {
                offerAnotherGroup(slot, candidate);
            } else if (candidate.precision() < pick.precision()) {
                // A more precise level replaces everything picked so far for this name (step 1).
                total -= otherGroupCount(slot);
                picks[slot] = candidate;
                if (otherGroupCounts != null) {
                    otherGroupCounts[slot] = 0;
                }
            }
        }

        /** Step 2: each matching group keeps its own most precise candidate (with vcluster beats without). */
        private void offerAnotherGroup(final int slot, final Candidate candidate) {
            final String group = candidate.group();
            if (picks[slot].group().equals(group)) {
                if (candidate.precision() < picks[slot].precision()) {
                    picks[slot] = candidate;
                }
                return;
            }
            final int count = otherGroupCount(slot);
            final Candidate[] others = count == 0 ? null : otherGroups[slot];
            for (int i = 0; i < count; i++) {
                if (others[i].group().equals(group)) {
                    if (candidate.precision() < others[i].precision()) {
                        others[i] = candidate;
                    }
                    return;
                }
            }
            addOtherGroup(slot, candidate, count);
        }

        private void addOtherGroup(final int slot, final Candidate candidate, final int count) {
            if (otherGroups == null) {
                otherGroups = new Candidate[picks.length][];
                otherGroupCounts = new int[picks.length];
            }
            Candidate[] others = otherGroups[slot];
            if (others == null) {
                others = new Candidate[2];
            } else if (count == others.length) {
                others = Arrays.copyOf(others, count * 2);
            }
            others[count] = candidate;
            otherGroups[slot] = others;
            otherGroupCounts[slot] = count + 1;
            total++;
        }

        /** Steps 3 and 4: execution order, then the topics filter without fallback ({@code topic} null: none). */
        Chain chain(final String topic, final BiPredicate<Candidate, String> appliesToTopic) {
            final Candidate[] selected = new Candidate[total];
            int length = 0;
            for (int slot = 0; slot < picks.length; slot++) {
                if (picks[slot] != null) {
                    selected[length++] = picks[slot];
                    final int count = otherGroupCount(slot);
                    for (int i = 0; i < count; i++) {
                        selected[length++] = otherGroups[slot][i];
                    }
                }
            }
            Arrays.sort(selected, Resolution::executionOrder);
            final Binding[] chain = new Binding[selected.length];
            int kept = 0;
            for (final Candidate candidate : selected) {
                if (topic == null || candidate.topics() == null || appliesToTopic.test(candidate, topic)) {
                    chain[kept++] = candidate.binding();
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

        // Names in the index are shared instances: equals() returns on its identity check.
        private int slotOf(final String name) {
            final int mask = picks.length - 1;
            final int hash = name.hashCode();
            int slot = (hash ^ (hash >>> 16)) & mask;
            while (picks[slot] != null && !picks[slot].name().equals(name)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private void grow() {
            final Candidate[] oldPicks = picks;
            final Candidate[][] oldOthers = otherGroups;
            final int[] oldCounts = otherGroupCounts;
            picks = new Candidate[oldPicks.length * 2];
            otherGroups = oldOthers == null ? null : new Candidate[picks.length][];
            otherGroupCounts = oldCounts == null ? null : new int[picks.length];
            for (int old = 0; old < oldPicks.length; old++) {
                if (oldPicks[old] != null) {
                    final int slot = slotOf(oldPicks[old].name());
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

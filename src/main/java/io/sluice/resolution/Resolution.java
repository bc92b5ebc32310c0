package io.sluice.resolution;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;

/**
 * The resolution rules (README, "Resolution") as a pure function: which bindings run, in which order, for a context. The cached,
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
     * table of names and few small arrays: this runs on every cache miss.
     */
    static final class Selector {

        /** Per slot: the most precise candidate of a name; at the group level, its first group's. */
        private Candidate[] picks;
        /** At the group level, the picks of a name's second and further groups: rare and few, so scanned. */
        private Candidate[] otherGroups;
        private int otherGroupCount;
        private int names;

        Selector(final int expectedCandidates) {
            // 32 holds a chain of 24 names before growing: most chains never do.
            picks = new Candidate[Integer.highestOneBit(Math.max(32, expectedCandidates * 4 / 3) - 1) << 1];
        }

        /** Offers a candidate known to match the context. */
        void offer(final Candidate candidate) {
            final int slot = slotOf(candidate.name());
            final Candidate pick = picks[slot];
            if (pick == null) {
                picks[slot] = candidate;
                if (++names * 4 > picks.length * 3) {
                    grow();
                }
            } else if (candidate.isGroupLevel() && pick.isGroupLevel()) {
                offerAnotherGroup(slot, candidate);
            } else if (candidate.precision() < pick.precision()) {
                // A more precise level replaces everything picked so far for this name (step 1).
                picks[slot] = candidate;
                dropOtherGroups(candidate.name());
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
            for (int i = 0; i < otherGroupCount; i++) {
                final Candidate other = otherGroups[i];
                if (other.group().equals(group) && other.name().equals(candidate.name())) {
                    if (candidate.precision() < other.precision()) {
                        otherGroups[i] = candidate;
                    }
                    return;
                }
            }
            if (otherGroups == null) {
                otherGroups = new Candidate[4];
            } else if (otherGroupCount == otherGroups.length) {
                otherGroups = Arrays.copyOf(otherGroups, otherGroupCount * 2);
            }
            otherGroups[otherGroupCount++] = candidate;
        }

        private void dropOtherGroups(final String name) {
            int kept = 0;
            for (int i = 0; i < otherGroupCount; i++) {
                if (!otherGroups[i].name().equals(name)) {
                    otherGroups[kept++] = otherGroups[i];
                }
            }
            otherGroupCount = kept;
        }

        /** Steps 3 and 4: execution order, then the topics filter without fallback ({@code topic} null: none). */
        Chain chain(final String topic, final BiPredicate<Candidate, String> appliesToTopic) {
            final Candidate[] selected = new Candidate[names + otherGroupCount];
            int length = 0;
            for (final Candidate pick : picks) {
                if (pick != null) {
                    selected[length++] = pick;
                }
            }
            if (otherGroupCount > 0) {
                System.arraycopy(otherGroups, 0, selected, length, otherGroupCount);
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
            final Candidate[] old = picks;
            picks = new Candidate[old.length * 2];
            for (final Candidate pick : old) {
                if (pick != null) {
                    picks[slotOf(pick.name())] = pick;
                }
            }
        }
    }
}

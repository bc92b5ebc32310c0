package io.sluice.resolution;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A context's groups: immutable, sorted, with the hash computed once. Contexts are cache keys, and the key of a
 * cached entry and the context of a new record never share their set: comparing two of these is an array
 * comparison instead of a probe per element. Equal to any {@link java.util.Set} with the same elements.
 */
final class GroupSet extends AbstractSet<String> {

    static final GroupSet EMPTY = new GroupSet(new String[0]);

    private final String[] groups;
    private final int hash;

    private GroupSet(final String[] sortedDistinct) {
        int sum = 0;
        for (final String group : sortedDistinct) {
            sum += group.hashCode();
        }
        this.groups = sortedDistinct;
        this.hash = sum;
    }

    /** @throws NullPointerException if a group is null, like {@link java.util.Set#copyOf} */
    static GroupSet copyOf(final Collection<String> groups) {
        if (groups instanceof GroupSet same) {
            return same;
        }
        if (groups.isEmpty()) {
            return EMPTY;
        }
        final String[] sorted = groups.toArray(new String[0]);
        for (final String group : sorted) {
            Objects.requireNonNull(group, "group");
        }
        Arrays.sort(sorted);
        int distinct = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (!sorted[i].equals(sorted[distinct - 1])) {
                sorted[distinct++] = sorted[i];
            }
        }
        return new GroupSet(distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct));
    }

    @Override
    public boolean contains(final Object group) {
        return group instanceof String && Arrays.binarySearch(groups, group) >= 0;
    }

    @Override
    public int size() {
        return groups.length;
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < groups.length;
            }

            @Override
            public String next() {
                if (next >= groups.length) {
                    throw new NoSuchElementException();
                }
                return groups[next++];
            }
        };
    }

    @Override
    public int hashCode() {
        return hash;
    }

    // A plain loop of String.equals: the JIT inlines it, unlike Arrays.equals' Object.equals calls.
    private boolean sameGroups(final String[] others) {
        if (others.length != groups.length) {
            return false;
        }
        for (int i = 0; i < groups.length; i++) {
            if (!groups[i].equals(others[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(final Object other) {
        if (other instanceof GroupSet that) {
            return hash == that.hash && sameGroups(that.groups);
        }
        return super.equals(other);
    }
}

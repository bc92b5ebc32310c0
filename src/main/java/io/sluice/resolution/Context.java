package io.sluice.resolution;

import java.util.Objects;
import java.util.Set;

/**
 * The context a chain is resolved for.
 *
 * @param vcluster the record's vcluster ({@link #DEFAULT_VCLUSTER} when the route gives none)
 * @param username the user, or {@code null} for the anonymous user (matches no username scope)
 * @param groups   the user's groups, never null; immutable, iterated in sorted order
 * @param topic    the ingress topic, or {@code null} to skip the {@code topics} filter
 */
public record Context(String vcluster, String username, Set<String> groups, String topic) {

    public static final String DEFAULT_VCLUSTER = "default";

    public Context {
        vcluster = vcluster == null ? DEFAULT_VCLUSTER : vcluster;
        // A cache key: GroupSet makes comparing two contexts' groups cheap.
        groups = groups == null ? GroupSet.EMPTY : GroupSet.copyOf(groups);
    }

    /**
     * Groups as a context keeps them: immutable, distinct, iterated in sorted order. A context made with such a set
     * shares it instead of copying it, so callers that see the same groups often build the set once.
     */
    public static Set<String> groupSet(final java.util.Collection<String> groups) {
        return GroupSet.copyOf(groups);
    }

    // Written out rather than generated: a context is the resolver's cache key, compared on every record.
    @Override
    public boolean equals(final Object other) {
        return other == this || other instanceof Context that
            && vcluster.equals(that.vcluster)
            && Objects.equals(username, that.username)
            && Objects.equals(topic, that.topic)
            && groups.equals(that.groups);
    }

    @Override
    public int hashCode() {
        int hash = vcluster.hashCode();
        hash = 31 * hash + Objects.hashCode(username);
        hash = 31 * hash + groups.hashCode();
        return 31 * hash + Objects.hashCode(topic);
    }
}

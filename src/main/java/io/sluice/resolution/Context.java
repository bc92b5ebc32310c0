package io.sluice.resolution;

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
}

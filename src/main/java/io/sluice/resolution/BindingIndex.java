package io.sluice.resolution;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;

/**
 * Bindings filed by exact scope, so that resolving a context only looks at the buckets that can match it:
 * global, its vcluster, its username (with and without its vcluster), each of its groups (with and without
 * its vcluster). Bindings are kept as {@link Candidate}s, built once here rather than on every resolution.
 * Not thread-safe: {@link IndexedResolver} guards it.
 */
final class BindingIndex {

    private final Bucket global = new Bucket();
    private final Map<String, Bucket> byGroup = new HashMap<>();
    private final Map<String, Bucket> byUsername = new HashMap<>();
    private final Map<String, Vcluster> byVcluster = new HashMap<>();
    // One instance per interceptor name: few names, shared by many bindings, so they stay in the CPU cache.
    private final Map<String, String> sharedNames = new HashMap<>();
    private int size;

    /** Inserts or replaces by id; returns the replaced binding or null. */
    Binding put(final Binding binding) {
        final String name = sharedNames.computeIfAbsent(binding.name(), n -> n);
        final Binding previous = bucketFor(binding.scope(), true).put(Candidate.of(binding, name));
        if (previous == null) {
            size++;
        }
        return previous;
    }

    /** Returns the removed binding or null. */
    Binding remove(final BindingId id) {
        final Bucket bucket = bucketFor(id.scope(), false);
        final Binding removed = bucket == null ? null : bucket.remove(id.name());
        if (removed != null) {
            size--;
            if (bucket.isEmpty()) {
                dropEmpty(id.scope());
            }
        }
        return removed;
    }

    /** The binding with this id, or null. */
    Binding get(final BindingId id) {
        final Bucket bucket = bucketFor(id.scope(), false);
        return bucket == null ? null : bucket.get(id.name());
    }

    void clear() {
        global.clear();
        byGroup.clear();
        byUsername.clear();
        byVcluster.clear();
        sharedNames.clear();
        size = 0;
    }

    int size() {
        return size;
    }

    /**
     * Offers the bindings that can match the context to a new selector. A bucket's key covers every field its
     * scopes set, so its bindings match without a check; except an (invalid) scope with both group and
     * username, filed under its username: username buckets are checked.
     */
    Resolution.Selector select(final Context context) {
        final Resolution.Selector selector = new Resolution.Selector(0);
        final Vcluster vcluster = byVcluster.get(context.vcluster());
        global.offerTo(selector);
        if (vcluster != null) {
            offerTo(selector, vcluster.own);
        }
        for (final String group : context.groups()) {
            offerTo(selector, byGroup.get(group));
            if (vcluster != null) {
                offerTo(selector, vcluster.byGroup.get(group));
            }
        }
        final String username = context.username();
        if (username != null) {
            offerIfMatches(selector, byUsername.get(username), context);
            if (vcluster != null) {
                offerIfMatches(selector, vcluster.byUsername.get(username), context);
            }
        }
        return selector;
    }

    private static void offerTo(final Resolution.Selector selector, final Bucket bucket) {
        if (bucket != null) {
            bucket.offerTo(selector);
        }
    }

    private static void offerIfMatches(final Resolution.Selector selector, final Bucket bucket, final Context context) {
        if (bucket != null) {
            bucket.offerIfMatches(selector, context);
        }
    }

    // A scope with both group and username is invalid and never built; should one appear it is filed under
    // its username, and select() checks its group.
    private Bucket bucketFor(final BindingScope scope, final boolean create) {
        final String vcluster = scope.vcluster();
        switch (scope.level()) {
            case GLOBAL:
                return global;
            case GROUP:
                if (vcluster == null) {
                    return bucket(byGroup, scope.group(), create);
                }
                break;
            case USERNAME:
                if (vcluster == null) {
                    return bucket(byUsername, scope.username(), create);
                }
                break;
            default:
                break;
        }
        final Vcluster node = create ? byVcluster.computeIfAbsent(vcluster, v -> new Vcluster()) : byVcluster.get(vcluster);
        if (node == null) {
            return null;
        }
        return switch (scope.level()) {
            case VCLUSTER -> node.own;
            case GROUP -> bucket(node.byGroup, scope.group(), create);
            case USERNAME -> bucket(node.byUsername, scope.username(), create);
            case GLOBAL -> throw new IllegalStateException("a global scope names no vcluster");
        };
    }

    private void dropEmpty(final BindingScope scope) {
        final String vcluster = scope.vcluster();
        final String key = scope.username() != null ? scope.username() : scope.group();
        if (vcluster == null) {
            (scope.username() != null ? byUsername : byGroup).remove(key);
            return;
        }
        final Vcluster node = byVcluster.get(vcluster);
        if (key != null) {
            (scope.username() != null ? node.byUsername : node.byGroup).remove(key);
        }
        if (node.isEmpty()) {
            byVcluster.remove(vcluster);
        }
    }

    private static Bucket bucket(final Map<String, Bucket> buckets, final String key, final boolean create) {
        return create ? buckets.computeIfAbsent(key, k -> new Bucket()) : buckets.get(key);
    }

    /** The buckets of the scopes that name one vcluster: one lookup finds them all. */
    private static final class Vcluster {

        final Bucket own = new Bucket();
        final Map<String, Bucket> byGroup = new HashMap<>();
        final Map<String, Bucket> byUsername = new HashMap<>();

        boolean isEmpty() {
            return own.isEmpty() && byGroup.isEmpty() && byUsername.isEmpty();
        }
    }

    /** The candidates of one exact scope, at most one per name, in an array that resolution scans. */
    private static final class Bucket {

        /** Past this size a bucket keeps a name-to-position map, so that puts and removes stay O(1). */
        private static final int SCAN_LIMIT = 8;

        private Candidate[] candidates = new Candidate[2];
        private int size;
        private Map<String, Integer> positions;

        Binding put(final Candidate candidate) {
            final int position = indexOf(candidate.name());
            if (position >= 0) {
                final Binding previous = candidates[position].binding();
                candidates[position] = candidate;
                return previous;
            }
            if (size == candidates.length) {
                candidates = Arrays.copyOf(candidates, size * 2);
            }
            candidates[size] = candidate;
            if (positions != null) {
                positions.put(candidate.name(), size);
            } else if (size + 1 > SCAN_LIMIT) {
                positions = new HashMap<>();
                for (int i = 0; i <= size; i++) {
                    positions.put(candidates[i].name(), i);
                }
            }
            size++;
            return null;
        }

        Binding get(final String name) {
            final int position = indexOf(name);
            return position < 0 ? null : candidates[position].binding();
        }

        Binding remove(final String name) {
            final int position = indexOf(name);
            if (position < 0) {
                return null;
            }
            final Binding removed = candidates[position].binding();
            size--;
            if (positions != null) {
                positions.remove(name);
            }
            if (position < size) {
                candidates[position] = candidates[size];
                if (positions != null) {
                    positions.put(candidates[position].name(), position);
                }
            }
            candidates[size] = null;
            return removed;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            Arrays.fill(candidates, null);
            size = 0;
            positions = null;
        }

        void offerTo(final Resolution.Selector selector) {
            for (int i = 0; i < size; i++) {
                selector.offer(candidates[i]);
            }
        }

        void offerIfMatches(final Resolution.Selector selector, final Context context) {
            for (int i = 0; i < size; i++) {
                if (Resolution.matches(candidates[i].binding().scope(), context)) {
                    selector.offer(candidates[i]);
                }
            }
        }

        private int indexOf(final String name) {
            if (positions != null) {
                final Integer position = positions.get(name);
                return position == null ? -1 : position;
            }
            for (int i = 0; i < size; i++) {
                if (candidates[i].name().equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }
}

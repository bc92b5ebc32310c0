package io.sluice.resolution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;

/**
 * Bindings filed by exact scope, so that resolving a context only looks at the buckets that can match it:
 * global, its vcluster, its username (with and without its vcluster), each of its groups (with and without
 * its vcluster). Not thread-safe: {@link IndexedResolver} guards it.
 */
final class BindingIndex {

    private final Bucket global = new Bucket();
    private final Map<String, Bucket> byVcluster = new HashMap<>();
    private final Map<String, Bucket> byUsername = new HashMap<>();
    private final Map<String, Bucket> byGroup = new HashMap<>();
    // vcluster -> username / group -> bucket: nested maps, so a lookup needs no composite key object.
    private final Map<String, Map<String, Bucket>> byVclusterUsername = new HashMap<>();
    private final Map<String, Map<String, Bucket>> byVclusterGroup = new HashMap<>();
    private int size;

    /** Inserts or replaces by id; returns the replaced binding or null. */
    Binding put(final Binding binding) {
        final Binding previous = bucketFor(binding.scope(), true).put(binding);
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

    void clear() {
        global.clear();
        byVcluster.clear();
        byUsername.clear();
        byGroup.clear();
        byVclusterUsername.clear();
        byVclusterGroup.clear();
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
        final String vcluster = context.vcluster();
        final String username = context.username();
        final Bucket[] exact = new Bucket[2 + 2 * context.groups().size()];
        int buckets = 0;
        exact[buckets++] = global;
        exact[buckets++] = byVcluster.get(vcluster);
        final Map<String, Bucket> vclusterGroups = byVclusterGroup.get(vcluster);
        for (final String group : context.groups()) {
            exact[buckets++] = byGroup.get(group);
            exact[buckets++] = vclusterGroups == null ? null : vclusterGroups.get(group);
        }
        final Bucket byUser = username == null ? null : byUsername.get(username);
        final Map<String, Bucket> vclusterUsernames = username == null ? null : byVclusterUsername.get(vcluster);
        final Bucket byVclusterUser = vclusterUsernames == null ? null : vclusterUsernames.get(username);

        int expected = sizeOf(byUser) + sizeOf(byVclusterUser);
        for (int i = 0; i < buckets; i++) {
            expected += sizeOf(exact[i]);
        }
        final Resolution.Selector selector = new Resolution.Selector(expected);
        for (int i = 0; i < buckets; i++) {
            if (exact[i] != null) {
                exact[i].offerTo(selector);
            }
        }
        if (byUser != null) {
            byUser.offerIfMatches(selector, context);
        }
        if (byVclusterUser != null) {
            byVclusterUser.offerIfMatches(selector, context);
        }
        return selector;
    }

    private static int sizeOf(final Bucket bucket) {
        return bucket == null ? 0 : bucket.size();
    }

    // A scope with both group and username is invalid and never built; should one appear it is filed under
    // its username, and the resolution's full match check still requires the group.
    private Bucket bucketFor(final BindingScope scope, final boolean create) {
        final String vcluster = scope.vcluster();
        return switch (scope.level()) {
            case GLOBAL -> global;
            case VCLUSTER -> bucket(byVcluster, vcluster, create);
            case USERNAME -> vcluster == null
                ? bucket(byUsername, scope.username(), create)
                : bucket(nested(byVclusterUsername, vcluster, create), scope.username(), create);
            case GROUP -> vcluster == null
                ? bucket(byGroup, scope.group(), create)
                : bucket(nested(byVclusterGroup, vcluster, create), scope.group(), create);
        };
    }

    private void dropEmpty(final BindingScope scope) {
        final String vcluster = scope.vcluster();
        switch (scope.level()) {
            case GLOBAL -> { }
            case VCLUSTER -> byVcluster.remove(vcluster);
            case USERNAME -> dropEmpty(byUsername, byVclusterUsername, vcluster, scope.username());
            case GROUP -> dropEmpty(byGroup, byVclusterGroup, vcluster, scope.group());
        }
    }

    private static void dropEmpty(final Map<String, Bucket> unqualified, final Map<String, Map<String, Bucket>> qualified,
                                  final String vcluster, final String key) {
        if (vcluster == null) {
            unqualified.remove(key);
            return;
        }
        final Map<String, Bucket> inner = qualified.get(vcluster);
        inner.remove(key);
        if (inner.isEmpty()) {
            qualified.remove(vcluster);
        }
    }

    private static Map<String, Bucket> nested(final Map<String, Map<String, Bucket>> outer, final String vcluster,
                                              final boolean create) {
        return create ? outer.computeIfAbsent(vcluster, v -> new HashMap<>()) : outer.get(vcluster);
    }

    private static Bucket bucket(final Map<String, Bucket> buckets, final String key, final boolean create) {
        if (buckets == null) {
            return null;
        }
        return create ? buckets.computeIfAbsent(key, k -> new Bucket()) : buckets.get(key);
    }

    /** The bindings of one exact scope, at most one per name: a list to scan fast, positions to update in O(1). */
    private static final class Bucket {

        private final ArrayList<Binding> bindings = new ArrayList<>(4);
        private final Map<String, Integer> positions = new HashMap<>(4);

        Binding put(final Binding binding) {
            final Integer position = positions.get(binding.name());
            if (position != null) {
                return bindings.set(position, binding);
            }
            positions.put(binding.name(), bindings.size());
            bindings.add(binding);
            return null;
        }

        Binding remove(final String name) {
            final Integer position = positions.remove(name);
            if (position == null) {
                return null;
            }
            final Binding removed = bindings.get(position);
            final Binding last = bindings.remove(bindings.size() - 1);
            if (position < bindings.size()) {
                bindings.set(position, last);
                positions.put(last.name(), position);
            }
            return removed;
        }

        boolean isEmpty() {
            return bindings.isEmpty();
        }

        void clear() {
            bindings.clear();
            positions.clear();
        }

        int size() {
            return bindings.size();
        }

        void offerTo(final Resolution.Selector selector) {
            for (int i = 0; i < bindings.size(); i++) {
                selector.offer(bindings.get(i));
            }
        }

        void offerIfMatches(final Resolution.Selector selector, final Context context) {
            for (int i = 0; i < bindings.size(); i++) {
                selector.offerIfMatches(bindings.get(i), context);
            }
        }
    }
}

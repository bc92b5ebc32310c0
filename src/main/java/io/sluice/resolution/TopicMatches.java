package io.sluice.resolution;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import io.sluice.bindings.Binding;

/**
 * Remembers whether a {@code topics} regex fully matches a topic: running a regex costs a matcher per binding
 * and resolution, and ingress topics are few. The answer depends on the regex text alone, so entries never go
 * stale (a regex no binding uses any more keeps its few entries); past {@link #MAX_ENTRIES} pairs, new ones are
 * computed without being remembered. Thread-safe.
 */
final class TopicMatches implements BiPredicate<Candidate, String> {

    static final int MAX_ENTRIES = 1 << 16;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Boolean>> byRegex = new ConcurrentHashMap<>();
    private final AtomicInteger entries = new AtomicInteger();

    /** Same answer as {@link Binding#appliesToTopic}. */
    @Override
    public boolean test(final Candidate candidate, final String topic) {
        final Pattern topics = candidate.topics();
        // Flags are not part of the text: such patterns are matched every time (bindings written as text have none).
        if (topics == null || topic == null || topics.flags() != 0) {
            return candidate.binding().appliesToTopic(topic);
        }
        ConcurrentHashMap<String, Boolean> byTopic = byRegex.get(topics.pattern());
        if (byTopic == null) {
            byTopic = byRegex.computeIfAbsent(topics.pattern(), regex -> new ConcurrentHashMap<>());
        }
        final Boolean known = byTopic.get(topic);
        if (known != null) {
            return known;
        }
        final boolean matches = topics.matcher(topic).matches();
        if (entries.get() < MAX_ENTRIES && byTopic.putIfAbsent(topic, matches) == null) {
            entries.incrementAndGet();
        }
        return matches;
    }
}

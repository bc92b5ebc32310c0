package io.sluice.registry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a schema id is registered under a subject, at a version ({@code latest}, {@code any} or a number), for
 * {@code schema-validation}'s {@code subject} checks. Answers are cached: a fixed version's id never changes;
 * {@code latest} and {@code any} are asked again (at most once a second per subject or id) only when an id does
 * not match, so a newly registered version is seen at once and matching records cost no request.
 * Thread-safe.
 */
public final class SubjectMembership {

    /** {@code latest}, {@code any}, or a version number as text. */
    public static final String LATEST = "latest";
    public static final String ANY = "any";
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final SchemaRegistryClient registry;
    private final String subject;
    private final String version;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public SubjectMembership(final SchemaRegistryClient registry, final String subject, final String version) {
        this.registry = registry;
        this.subject = subject;
        this.version = version;
    }

    /**
     * @throws SchemaRegistryException UNAVAILABLE when the registry cannot answer within its timeout
     */
    public boolean contains(final int id) {
        return ANY.equals(version) ? anyVersionHas(id) : versionHas(id);
    }

    /** The requirement, for reasons: {@code subject orders-value (latest)}. */
    public String describe() {
        return "subject " + subject + " (" + (ANY.equals(version) ? "any version" : LATEST.equals(version)
            ? "latest version" : "version " + version) + ")";
    }

    private boolean versionHas(final int id) {
        Answer answer = answers.get(version);
        if (answer != null && (answer.ids.contains(id) || !LATEST.equals(version) || !answer.stale())) {
            return answer.ids.contains(id);
        }
        answer = new Answer(List.of(idOf(version)), System.nanoTime());
        answers.put(version, answer);
        return answer.ids.contains(id);
    }

    private int idOf(final String which) {
        try {
            return registry.version(subject, which).id();
        } catch (final SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.NOT_FOUND) {
                return -1; // no such subject or version: no id is registered there
            }
            throw e;
        }
    }

    private boolean anyVersionHas(final int id) {
        final String key = Integer.toString(id);
        Answer answer = answers.get(key);
        if (answer != null && (answer.ids.contains(1) || !answer.stale())) {
            return answer.ids.contains(1);
        }
        List<SubjectVersion> versions;
        try {
            versions = registry.versionsOf(id);
        } catch (final SchemaRegistryException e) {
            if (e.kind() != SchemaRegistryException.Kind.NOT_FOUND) {
                throw e;
            }
            versions = List.of();
        }
        final boolean registered = versions.stream().anyMatch(entry -> entry.subject().equals(subject));
        answer = new Answer(registered ? List.of(1) : List.of(), System.nanoTime());
        answers.put(key, answer);
        return registered;
    }

    /** Ids (for {@code any}: [1] when registered), and when they were asked. */
    private record Answer(List<Integer> ids, long askedAt) {
        boolean stale() {
            return System.nanoTime() - askedAt >= REFRESH_NANOS;
        }
    }
}

package io.sluice.bindings;

import java.time.Instant;

/**
 * Who published a binding version, when, and from where: stored beside the binding in the config topic
 * for {@code bindings list}. Every field may be {@code null} (unknown, e.g. written by another tool).
 *
 * @param appliedBy who applied it, e.g. the operating-system user of {@code bindings apply}
 * @param appliedAt when it was published
 * @param source    the resource it came from, e.g. {@code bindings.yaml#2}
 */
public record Provenance(String appliedBy, Instant appliedAt, String source) {

    public static final Provenance UNKNOWN = new Provenance(null, null, null);
}

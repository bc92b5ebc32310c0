package io.sluice.bindings;

import java.util.List;
import java.util.stream.Collectors;

import io.sluice.common.Problem;

/** A config topic record, decoded and validated by {@link BindingRecords#decode}. */
public sealed interface ConfigRecord {

    /** The identity the record's key names, or {@code null} when the key is unreadable. */
    BindingId id();

    /** A valid binding: it replaces the binding of its identity. */
    record Valid(Binding binding, Provenance provenance) implements ConfigRecord {

        @Override
        public BindingId id() {
            return binding.id();
        }
    }

    /** A tombstone: it deletes the binding of its identity. */
    record Tombstone(BindingId id) implements ConfigRecord {
    }

    /**
     * A record that must not be applied: the previously valid binding of its identity, if any, stays in force.
     *
     * @param id       the identity as the key says it (which may itself be invalid), or {@code null} when the key
     *                 is unreadable
     * @param problems why, each naming the record and the field
     */
    record Invalid(BindingId id, List<Problem> problems) implements ConfigRecord {

        public Invalid {
            problems = List.copyOf(problems);
        }

        /** The problems on one line, for {@code bindings list} and logs. */
        public String reason() {
            return problems.stream()
                .map(problem -> problem.field() == null ? problem.message() : problem.field() + ": " + problem.message())
                .collect(Collectors.joining("; "));
        }
    }
}

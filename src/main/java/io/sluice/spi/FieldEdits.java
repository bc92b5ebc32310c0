package io.sluice.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Field reads and replacements, by path, that a plugin applies to a value in one go ({@link ValueView#apply}).
 * Build it once, when the interceptor is created: a value view may compile it into one streaming pass over the
 * value's bytes. Edits run in order; two paths that select the same field edit it one after the other.
 */
public final class FieldEdits {

    /** What an edit does with the fields its path selects. */
    public enum Mode {
        /** The editor only reads: the value is not rewritten for it (it must not call a setter). */
        READ,
        /** The editor gets each selected field, whatever its type (an object or array as one field). */
        REPLACE,
        /**
         * The editor gets each scalar at or under each selected field: a selected object or array has every value
         * inside it edited, one by one (masking).
         */
        REPLACE_LEAVES
    }

    /** One path and what to do with what it selects. */
    public record Edit(FieldPath path, Mode mode, FieldEditor editor) {
    }

    private final Edit[] edits;
    private final boolean readOnly;

    private FieldEdits(final List<Edit> edits) {
        if (edits.isEmpty()) {
            throw new IllegalArgumentException("no field edits");
        }
        this.edits = edits.toArray(Edit[]::new);
        this.readOnly = edits.stream().allMatch(edit -> edit.mode() == Mode.READ);
    }

    public static FieldEdits of(final List<Edit> edits) {
        return new FieldEdits(edits);
    }

    public static FieldEdits of(final FieldPath path, final Mode mode, final FieldEditor editor) {
        return new FieldEdits(List.of(new Edit(path, mode, editor)));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return edits.length;
    }

    public Edit get(final int index) {
        return edits[index];
    }

    public List<Edit> edits() {
        return List.of(edits);
    }

    /** Whether every edit only reads. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Collects edits in order. */
    public static final class Builder {
        private final List<Edit> edits = new ArrayList<>();

        public Builder read(final FieldPath path, final FieldEditor reader) {
            edits.add(new Edit(path, Mode.READ, reader));
            return this;
        }

        public Builder replace(final FieldPath path, final FieldEditor editor) {
            edits.add(new Edit(path, Mode.REPLACE, editor));
            return this;
        }

        public Builder replaceLeaves(final FieldPath path, final FieldEditor editor) {
            edits.add(new Edit(path, Mode.REPLACE_LEAVES, editor));
            return this;
        }

        public FieldEdits build() {
            return new FieldEdits(edits);
        }
    }
}

package io.sluice.value;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.FieldEdits;

/**
 * The edits of one streaming pass and the values they select. Where the pass stands in a document, the edits whose
 * paths still lead somewhere are "live": bits of their indexes in a {@code long}, hence at most {@link #MAX_EDITS}.
 * A selected value is edited as the tree edits it: by every live edit that selects it or something inside it, in the
 * edits' order. One per pass; both passes ({@link JsonScan#splice} and Jackson's in {@link JsonStreaming}) walk
 * their documents with it.
 */
final class SelectedValues {

    /** More edits than this go through the tree. */
    static final int MAX_EDITS = 64;

    private final FieldEdits edits;
    private NodeField[] fields;
    private int selected;

    SelectedValues(final FieldEdits edits) {
        this.edits = edits;
    }

    /** Every edit: live at the root. */
    long all() {
        return edits.size() == MAX_EDITS ? -1L : (1L << edits.size()) - 1;
    }

    /** Whether a live edit selects the value {@code depth} path segments deep (its path ends there). */
    boolean selectsHere(final int depth, final long live) {
        for (long bits = live; bits != 0; bits &= bits - 1) {
            if (edits.get(Long.numberOfTrailingZeros(bits)).path().length() == depth) {
                return true;
            }
        }
        return false;
    }

    /** The live edits that lead into the field {@code name} of an object {@code depth} segments deep. */
    long intoField(final int depth, final long live, final String name) {
        long child = 0;
        for (long bits = live; bits != 0; bits &= bits - 1) {
            final int i = Long.numberOfTrailingZeros(bits);
            if (edits.get(i).path().selectsName(depth, name)) {
                child |= 1L << i;
            }
        }
        return child;
    }

    /** {@link #intoField(int, long, String)} for a name given as UTF-8 bytes {@code [from, to)}, without escapes. */
    long intoField(final int depth, final long live, final byte[] utf8, final int from, final int to) {
        long child = 0;
        for (long bits = live; bits != 0; bits &= bits - 1) {
            final int i = Long.numberOfTrailingZeros(bits);
            if (edits.get(i).path().selectsName(depth, utf8, from, to)) {
                child |= 1L << i;
            }
        }
        return child;
    }

    /** The live edits that lead into element {@code index} of an array {@code depth} segments deep. */
    long intoElement(final int depth, final long live, final int index) {
        long child = 0;
        for (long bits = live; bits != 0; bits &= bits - 1) {
            final int i = Long.numberOfTrailingZeros(bits);
            if (edits.get(i).path().selectsIndex(depth, index)) {
                child |= 1L << i;
            }
        }
        return child;
    }

    /**
     * Edits a value {@code depth} path segments deep by the edits in {@code live}.
     *
     * @return the node to write in its place
     */
    JsonNode edit(final JsonNode value, final int depth, final long live) {
        if (fields == null) {
            fields = new NodeField[edits.size()];
        }
        JsonNode node = value;
        for (long bits = live; bits != 0; bits &= bits - 1) {
            final int i = Long.numberOfTrailingZeros(bits);
            final FieldEdits.Edit edit = edits.get(i);
            NodeField field = fields[i];
            if (field == null) {
                field = new NodeField(edit);
                fields[i] = field;
            }
            final boolean counts = edit.mode() != FieldEdits.Mode.READ;
            if (edit.path().length() == depth) {
                node = field.apply(node);
                selected += counts ? 1 : 0;
            } else {
                final int count = edit.path().apply(node, depth, field);
                selected += counts ? count : 0;
            }
        }
        return node;
    }

    /** How many values the edits that change values selected so far (READ edits do not count). */
    int selected() {
        return selected;
    }
}

package io.sluice.value;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.FieldEdits;

/**
 * The values one streaming pass selects, edited as the tree edits them: each by every edit that selects it or
 * something inside it, in the edits' order, and how many values the changing edits selected. One per pass.
 */
final class SelectedValues {

    private final FieldEdits edits;
    private final NodeField[] fields;
    private int selected;

    SelectedValues(final FieldEdits edits) {
        this.edits = edits;
        this.fields = new NodeField[edits.size()];
    }

    /**
     * Edits a value {@code depth} path segments deep by the edits in {@code live} (bits of their indexes).
     *
     * @return the node to write in its place
     */
    JsonNode edit(final JsonNode value, final int depth, final long live) {
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

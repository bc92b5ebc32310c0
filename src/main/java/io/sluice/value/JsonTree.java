package io.sluice.value;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.DecodedValue;
import io.sluice.spi.FieldEdits;

/** A JSON value decoded into a Jackson tree: what plugins that ask for {@code jsonValue()} share. */
public final class JsonTree implements DecodedValue {

    private final JsonNode root;

    public JsonTree(final JsonNode root) {
        this.root = root;
    }

    public JsonNode root() {
        return root;
    }

    @Override
    public String format() {
        return JsonCodec.FORMAT;
    }

    @Override
    public int apply(final FieldEdits edits) {
        return apply(root, 0, edits);
    }

    /**
     * Applies the edits, in order, to a node the paths' first {@code depth} segments led to (the root: depth 0);
     * returns how many fields the replacing edits selected. The node itself is never replaced (paths are never
     * empty; the streaming pass replaces a selected node itself, see {@link JsonStreaming}).
     */
    static int apply(final JsonNode node, final int depth, final FieldEdits edits) {
        int selected = 0;
        for (int i = 0; i < edits.size(); i++) {
            final FieldEdits.Edit edit = edits.get(i);
            final int count = edit.path().apply(node, depth, new NodeField(edit));
            if (edit.mode() != FieldEdits.Mode.READ) {
                selected += count;
            }
        }
        return selected;
    }

    @Override
    public byte[] encode() {
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}

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

    /** Applies the edits in order; the root itself is never replaced (a path is never empty). */
    @Override
    public int apply(final FieldEdits edits) {
        int selected = 0;
        for (int i = 0; i < edits.size(); i++) {
            final FieldEdits.Edit edit = edits.get(i);
            final int count = edit.path().apply(root, new NodeField(edit));
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

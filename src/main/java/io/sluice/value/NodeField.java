package io.sluice.value;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.common.Json;
import io.sluice.spi.Field;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.FieldType;
import io.sluice.spi.ValueFormatException;

/**
 * A {@link Field} over one JSON node, and one edit as a node function for {@link FieldPath#apply}. Both the tree and
 * the streaming pass edit through this class, so that they give the same values.
 */
final class NodeField implements Field, UnaryOperator<JsonNode> {

    private final FieldEdits.Edit edit;
    private final boolean readOnly;
    private JsonNode node;

    NodeField(final FieldEdits.Edit edit) {
        this.edit = edit;
        this.readOnly = edit.mode() == FieldEdits.Mode.READ;
    }

    /** Applies the edit to a selected node; returns the node to put in its place. */
    @Override
    public JsonNode apply(final JsonNode selected) {
        return edit.mode() == FieldEdits.Mode.REPLACE_LEAVES ? leaves(selected) : one(selected);
    }

    private JsonNode one(final JsonNode selected) {
        node = selected;
        edit.editor().edit(this);
        final JsonNode result = node;
        node = null;
        return result;
    }

    /** Every scalar at or under the node, in document order; containers are changed in place. */
    private JsonNode leaves(final JsonNode value) {
        if (value instanceof ObjectNode object) {
            for (final Map.Entry<String, JsonNode> entry : object.properties()) {
                entry.setValue(leaves(entry.getValue()));
            }
            return value;
        }
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, leaves(array.get(i)));
            }
            return value;
        }
        return one(value);
    }

    @Override
    public FieldPath path() {
        return edit.path();
    }

    @Override
    public FieldType type() {
        return switch (node.getNodeType()) {
            case STRING -> FieldType.STRING;
            case NUMBER -> FieldType.NUMBER;
            case BOOLEAN -> FieldType.BOOLEAN;
            case NULL -> FieldType.NULL;
            case OBJECT -> FieldType.OBJECT;
            case ARRAY -> FieldType.ARRAY;
            case BINARY -> FieldType.BYTES;
            default -> FieldType.OTHER;
        };
    }

    @Override
    public String typeName() {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String text() {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw new IllegalStateException("field '" + edit.path() + "' is a " + typeName() + ", which has no text");
    }

    @Override
    public byte[] encoded() {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write a JSON field", e);
        }
    }

    @Override
    public void setString(final String value) {
        writable();
        node = TextNode.valueOf(value);
    }

    @Override
    public void setBytes(final byte[] value) {
        writable();
        node = TextNode.valueOf(Base64.getEncoder().encodeToString(value));
    }

    @Override
    public void setEncoded(final byte[] encoded) {
        writable();
        node = JsonCodec.parseField(encoded, edit.path());
    }

    private void writable() {
        if (readOnly) {
            throw new IllegalStateException("a read-only field edit of '" + edit.path() + "' cannot replace the field");
        }
    }

    /** Thrown for a field given as bytes that are not JSON. */
    static ValueFormatException notJson(final FieldPath path) {
        return new ValueFormatException("the new value of field '" + path + "' is not JSON");
    }
}

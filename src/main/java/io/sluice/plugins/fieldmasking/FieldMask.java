package io.sluice.plugins.fieldmasking;

import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.plugins.support.FieldPath;

/**
 * One configured field: where it is and how it is masked.
 *
 * @param path      the field path
 * @param strategy  how
 * @param n         the visible characters of {@code FIRST_N} / {@code LAST_N}; 0 otherwise
 * @param maskChar  the mask character, as a code point
 * @param salt      the salt of {@code HASH}; {@code null} otherwise
 */
record FieldMask(FieldPath path, Strategy strategy, int n, int maskChar, Salt salt) implements UnaryOperator<JsonNode> {

    /**
     * Masks one JSON value. A string is masked; a number or boolean is masked as its text and becomes a string
     * (the value is hidden, whatever that does to the type); an object or array has every value inside masked;
     * {@code null} stays null, there is nothing to hide.
     */
    @Override
    public JsonNode apply(final JsonNode value) {
        if (value.isTextual()) {
            return TextNode.valueOf(mask(value.textValue()));
        }
        if (value.isNumber() || value.isBoolean()) {
            return TextNode.valueOf(mask(value.asText()));
        }
        if (value instanceof ObjectNode object) {
            for (final Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(apply(field.getValue()));
            }
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, apply(array.get(i)));
            }
        }
        return value;
    }

    /** Masks a string, counting characters as code points so that no surrogate pair is cut in half. */
    String mask(final String text) {
        if (strategy == Strategy.HASH) {
            return salt.hash(text);
        }
        final int length = text.codePointCount(0, text.length());
        final int visibleFrom;
        final int visibleTo;
        switch (strategy) {
            case FIRST_N -> {
                visibleFrom = 0;
                visibleTo = Math.min(n, length);
            }
            case LAST_N -> {
                visibleFrom = Math.max(0, length - n);
                visibleTo = length;
            }
            default -> {
                visibleFrom = 0;
                visibleTo = 0;
            }
        }
        final StringBuilder masked = new StringBuilder(text.length());
        int index = 0;
        for (int offset = 0; offset < text.length(); index++) {
            final int codePoint = text.codePointAt(offset);
            masked.appendCodePoint(index >= visibleFrom && index < visibleTo ? codePoint : maskChar);
            offset += Character.charCount(codePoint);
        }
        return masked.toString();
    }
}

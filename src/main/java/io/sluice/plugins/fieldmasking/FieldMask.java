package io.sluice.plugins.fieldmasking;

import java.util.Arrays;

import io.sluice.spi.Field;
import io.sluice.spi.FieldEditor;
import io.sluice.spi.FieldPath;

/**
 * One configured field: where it is and how it is masked.
 *
 * @param path      the field path
 * @param strategy  how
 * @param n         the visible characters of {@code FIRST_N} / {@code LAST_N}; 0 otherwise
 * @param maskChar  the mask character, as a code point
 * @param salt      the salt of {@code HASH}; {@code null} otherwise
 */
record FieldMask(FieldPath path, Strategy strategy, int n, int maskChar, Salt salt) implements FieldEditor {

    /**
     * Masks one scalar (the view hands over every scalar inside a selected object or array). A string is masked
     * and stays a string; a number or boolean is masked as its text and becomes a string where the format allows
     * it (JSON: the value is hidden, whatever that does to the type; a format with a schema refuses, naming the
     * field); {@code null} stays null, there is nothing to hide.
     */
    @Override
    public void edit(final Field field) {
        switch (field.type()) {
            case STRING, NUMBER, BOOLEAN -> field.setString(mask(field.text()));
            default -> {
                // null: nothing to hide
            }
        }
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
        if (length == text.length() && Character.isBmpCodePoint(maskChar)) {
            // No surrogate pairs (most text): characters are code points, masked in place.
            final char[] chars = text.toCharArray();
            Arrays.fill(chars, 0, visibleFrom, (char) maskChar);
            Arrays.fill(chars, visibleTo, length, (char) maskChar);
            return new String(chars);
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

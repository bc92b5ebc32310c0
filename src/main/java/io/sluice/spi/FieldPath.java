package io.sluice.spi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A field path in dot notation, parsed once: {@code card.number}; {@code items[*].sku} for every element of an
 * array; {@code items[0].sku} for one element. A path may start with a bracket ({@code [*].id}) when the value
 * itself is an array. Field names cannot contain {@code .}, {@code [} or {@code ]}.
 *
 * <p>A path that leads nowhere in a record (a missing field, a string where an object was expected) selects
 * nothing: it is not an error.
 */
public final class FieldPath {

    /** The {@code [*]} segment. Other segments are field names ({@link String}) or indexes ({@link Integer}). */
    public static final Object EVERY_ELEMENT = new Object() {
        @Override
        public String toString() {
            return "[*]";
        }
    };

    private final String text;
    private final Object[] segments;
    /** The UTF-8 bytes of each field-name segment ({@code null} for the others). */
    private final byte[][] segmentBytes;

    private FieldPath(final String text, final List<Object> segments) {
        this.text = text;
        this.segments = segments.toArray();
        this.segmentBytes = new byte[this.segments.length][];
        for (int i = 0; i < this.segments.length; i++) {
            if (this.segments[i] instanceof String name) {
                segmentBytes[i] = name.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException saying what is wrong, for a config problem
     */
    public static FieldPath parse(final String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a field path must not be blank");
        }
        final List<Object> segments = new ArrayList<>();
        int at = 0;
        boolean expectName = text.charAt(0) != '[';
        while (at < text.length()) {
            if (expectName) {
                int end = at;
                while (end < text.length() && "[].".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                if (end == at) {
                    throw new IllegalArgumentException("'" + text + "' has an empty field name at position " + at);
                }
                segments.add(text.substring(at, end));
                at = end;
            }
            while (at < text.length() && text.charAt(at) == '[') {
                final int close = text.indexOf(']', at);
                if (close < 0) {
                    throw new IllegalArgumentException("'" + text + "' has a '[' without ']' at position " + at);
                }
                segments.add(index(text, text.substring(at + 1, close)));
                at = close + 1;
            }
            if (at < text.length()) {
                if (text.charAt(at) != '.' || at == text.length() - 1) {
                    throw new IllegalArgumentException("'" + text + "' has an unexpected '" + text.charAt(at)
                        + "' at position " + at + "; write fields as a.b and array elements as a[*] or a[0]");
                }
                at++;
                expectName = true;
            }
        }
        return new FieldPath(text, segments);
    }

    private static Object index(final String path, final String inside) {
        if (inside.equals("*")) {
            return EVERY_ELEMENT;
        }
        try {
            final int index = Integer.parseInt(inside);
            if (index >= 0) {
                return index;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + path + "' has '[" + inside + "]'; an array index is [*] or a number >= 0");
    }

    /** The segments: field names ({@link String}), indexes ({@link Integer}) and {@link #EVERY_ELEMENT}. */
    public List<Object> segments() {
        return List.of(segments);
    }

    /** How many segments the path has (at least one). */
    public int length() {
        return segments.length;
    }

    /** One segment, without copying the list: a field name, an index or {@link #EVERY_ELEMENT}. */
    public Object segment(final int depth) {
        return segments[depth];
    }

    /**
     * Whether the segment at {@code depth} selects this element of an array ({@code [*]} or its index).
     */
    public boolean selectsIndex(final int depth, final int index) {
        final Object segment = segments[depth];
        return segment == EVERY_ELEMENT || segment instanceof Integer at && at == index;
    }

    /** Whether the segment at {@code depth} selects this field of an object. */
    public boolean selectsName(final int depth, final String name) {
        return segments[depth] instanceof String segment && segment.equals(name);
    }

    /**
     * {@link #selectsName(int, String)} for a name given as its UTF-8 bytes {@code [from, to)} (a streaming pass's
     * key without escapes), without making a string of it.
     */
    public boolean selectsName(final int depth, final byte[] utf8, final int from, final int to) {
        final byte[] segment = segmentBytes[depth];
        if (segment == null || segment.length != to - from) {
            return false;
        }
        // By hand: field names are short, and Arrays.equals' range checks and vectorized compare cost more here.
        for (int i = 0; i < segment.length; i++) {
            if (segment[i] != utf8[from + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies {@code change} to every value the path selects in {@code root}, replacing the value with what
     * {@code change} returns when that is another node.
     *
     * @return how many values were selected
     */
    public int apply(final JsonNode root, final UnaryOperator<JsonNode> change) {
        return apply(root, 0, change);
    }

    /**
     * {@link #apply} on a node that the path's first {@code depth} segments already led to, e.g. a subtree a
     * streaming pass has materialized. {@code depth} is at most {@link #length()} - 1.
     */
    public int apply(final JsonNode node, final int depth, final UnaryOperator<JsonNode> change) {
        final Object segment = segments[depth];
        final boolean last = depth == segments.length - 1;
        if (segment instanceof String name) {
            if (!(node instanceof ObjectNode object)) {
                return 0;
            }
            final JsonNode child = object.get(name);
            if (child == null) {
                return 0;
            }
            if (!last) {
                return apply(child, depth + 1, change);
            }
            final JsonNode changed = change.apply(child);
            if (changed != child) {
                object.set(name, changed);
            }
            return 1;
        }
        if (!(node instanceof ArrayNode array)) {
            return 0;
        }
        if (segment == EVERY_ELEMENT) {
            int selected = 0;
            for (int i = 0; i < array.size(); i++) {
                selected += applyToElement(array, i, depth, last, change);
            }
            return selected;
        }
        final int index = (Integer) segment;
        return index < array.size() ? applyToElement(array, index, depth, last, change) : 0;
    }

    private int applyToElement(final ArrayNode array, final int index, final int depth, final boolean last,
                               final UnaryOperator<JsonNode> change) {
        final JsonNode element = array.get(index);
        if (!last) {
            return apply(element, depth + 1, change);
        }
        final JsonNode changed = change.apply(element);
        if (changed != element) {
            array.set(index, changed);
        }
        return 1;
    }

    /** The path as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof FieldPath that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}

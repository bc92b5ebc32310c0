package io.sluice.value;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random JSON documents for the streaming-against-tree properties, written the many ways JSON is written: random
 * whitespace, characters escaped or not ({@code \u0041}), numbers in non-canonical forms ({@code 1.50}, {@code -0},
 * {@code 1E2}), and on request duplicate keys and broken documents. Keys come from a small set, so that the random
 * paths of {@link #path} select something often.
 */
final class RandomJson {

    static final List<String> KEYS = List.of("a", "b", "card", "number", "items", "sku", "x y", "é");
    private static final List<String> STRINGS = List.of("", "4111111111111111", "ann@example.com", "ab\"c", "back\\slash",
        "line\nbreak\ttab", "é", "😀 emoji", "\u0001ctl", "</script>", "1234", "true", "null");
    private static final List<String> NUMBERS = List.of("0", "-0", "7", "-42", "2147483648", "9223372036854775807",
        "-9223372036854775809", "123456789012345678901234567890", "1.5", "1.50", "-0.0", "1e2", "1E-3", "0.1",
        "123456789.123456789", "6.02e23", "1e400");

    private final Random random;
    private final boolean duplicates;

    RandomJson(final Random random, final boolean duplicates) {
        this.random = random;
        this.duplicates = duplicates;
    }

    /** A document; with {@code broken}, sometimes not JSON at all (truncated, trailing tokens, empty, text). */
    String document(final boolean broken) {
        final StringBuilder out = new StringBuilder();
        space(out);
        if (random.nextInt(8) == 0) {
            value(out, 0);
        } else if (random.nextInt(6) == 0) {
            array(out, 0);
        } else {
            object(out, 0);
        }
        space(out);
        String text = out.toString();
        if (broken) {
            switch (random.nextInt(8)) {
                case 0 -> text = text.substring(0, random.nextInt(Math.max(1, text.length())));
                case 1 -> text = text + (random.nextBoolean() ? " 1" : "x");
                case 2 -> text = "";
                case 3 -> text = "plain text, not JSON";
                case 4 -> text = text.replaceFirst(":", "");
                default -> {
                    // well-formed after all
                }
            }
        }
        return text;
    }

    private void value(final StringBuilder out, final int depth) {
        final int kind = random.nextInt(depth < 4 ? 10 : 7);
        switch (kind) {
            case 0, 1, 2 -> string(out, STRINGS.get(random.nextInt(STRINGS.size())) + (random.nextBoolean() ? "" : letters()));
            case 3, 4 -> out.append(NUMBERS.get(random.nextInt(NUMBERS.size())));
            case 5 -> out.append(random.nextBoolean() ? "true" : "false");
            case 6 -> out.append("null");
            case 7, 8 -> object(out, depth + 1);
            default -> array(out, depth + 1);
        }
    }

    private void object(final StringBuilder out, final int depth) {
        out.append('{');
        final int size = random.nextInt(5);
        final Set<String> used = new HashSet<>();
        boolean first = true;
        for (int i = 0; i < size; i++) {
            final String key = KEYS.get(random.nextInt(KEYS.size()));
            if (!used.add(key) && !(duplicates && random.nextInt(3) == 0)) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            space(out);
            string(out, key);
            space(out);
            out.append(':');
            space(out);
            value(out, depth);
            space(out);
        }
        out.append('}');
    }

    private void array(final StringBuilder out, final int depth) {
        out.append('[');
        final int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(',');
            }
            space(out);
            value(out, depth);
            space(out);
        }
        out.append(']');
    }

    private String letters() {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    /** A JSON string, each character escaped when it must be and sometimes when it need not. */
    private void string(final StringBuilder out, final String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || random.nextInt(10) == 0) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '/' && random.nextBoolean()) {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private void space(final StringBuilder out) {
        switch (random.nextInt(6)) {
            case 0 -> out.append(' ');
            case 1 -> out.append("\n  ");
            case 2 -> out.append('\t');
            default -> {
                // compact
            }
        }
    }

    /** A random path over {@link #KEYS}: {@code card.number}, {@code items[*].sku}, {@code [0]}, {@code items[1]}. */
    String path() {
        final List<String> segments = new ArrayList<>();
        final int length = 1 + random.nextInt(3);
        final StringBuilder path = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(3) == 0) {
                path.append(random.nextBoolean() ? "[*]" : "[" + random.nextInt(3) + "]");
            } else {
                String key = KEYS.get(random.nextInt(KEYS.size()));
                if (key.contains(" ")) {
                    key = "a";
                }
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(key);
                segments.add(key);
            }
        }
        return path.toString();
    }
}

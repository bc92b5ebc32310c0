package io.sluice.value;

/**
 * A quick yes to "is this one JSON document?" for values Jackson would certainly accept: strict RFC 8259 (one value,
 * whitespace around it, no comments, no BOM), well-formed UTF-8 (no overlong forms, no surrogates), no escaped lone
 * surrogates, and far inside Jackson's stream-read limits (nesting, number and document length). Everything it
 * accepts, Jackson's parser accepts; what it refuses may still be JSON to Jackson, so a "no" goes to Jackson to
 * decide. It saves the format check a parser per record (the parser, its buffers and its name table), which
 * profiles of {@code produce-policy}'s {@code valueFormat: json} showed. {@code StrictJsonProperties} holds it to
 * Jackson over random documents and their mutations.
 */
final class StrictJson {

    /** Larger values go to Jackson: this keeps every string and name far below Jackson's length limits. */
    static final int MAX_BYTES = 32 * 1024;
    /** Jackson refuses nesting deeper than 1,000 (StreamReadConstraints): deeper than this goes to Jackson. */
    static final int MAX_DEPTH = 256;
    /** Jackson refuses numbers longer than 1,000 characters: longer than this goes to Jackson. */
    static final int MAX_NUMBER = 64;

    private final byte[] in;
    private int at;

    private StrictJson(final byte[] in) {
        this.in = in;
    }

    /** Whether the bytes are certainly one JSON document Jackson accepts ({@code false}: ask Jackson). */
    static boolean accepts(final byte[] value) {
        if (value == null || value.length == 0 || value.length > MAX_BYTES) {
            return false;
        }
        final StrictJson scan = new StrictJson(value);
        try {
            scan.whitespace();
            if (!scan.value(0)) {
                return false;
            }
            scan.whitespace();
            return scan.at == value.length;
        } catch (final ArrayIndexOutOfBoundsException truncated) {
            return false;
        }
    }

    private void whitespace() {
        while (at < in.length) {
            final byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    private boolean value(final int depth) {
        if (at >= in.length) {
            return false;
        }
        return switch (in[at]) {
            case '{' -> depth < MAX_DEPTH && object(depth + 1);
            case '[' -> depth < MAX_DEPTH && array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean object(final int depth) {
        at++; // {
        whitespace();
        if (in[at] == '}') {
            at++;
            return true;
        }
        while (true) {
            if (in[at] != '"' || !string()) {
                return false;
            }
            whitespace();
            if (in[at] != ':') {
                return false;
            }
            at++;
            whitespace();
            if (!value(depth)) {
                return false;
            }
            whitespace();
            final byte next = in[at++];
            if (next == '}') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            whitespace();
        }
    }

    private boolean array(final int depth) {
        at++; // [
        whitespace();
        if (in[at] == ']') {
            at++;
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            whitespace();
            final byte next = in[at++];
            if (next == ']') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            whitespace();
        }
    }

    private boolean literal(final String word) {
        for (int i = 0; i < word.length(); i++) {
            if (in[at + i] != word.charAt(i)) {
                return false;
            }
        }
        at += word.length();
        return delimited();
    }

    /** After a literal or a number: the end, whitespace or a structural character, never more of a token. */
    private boolean delimited() {
        if (at == in.length) {
            return true;
        }
        final byte b = in[at];
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private boolean number() {
        final int start = at;
        if (in[at] == '-') {
            at++;
        }
        if (at >= in.length) {
            return false;
        }
        if (in[at] == '0') {
            at++;
        } else if (digit(in[at])) {
            digits();
        } else {
            return false;
        }
        if (at < in.length && in[at] == '.') {
            at++;
            if (at >= in.length || !digit(in[at])) {
                return false;
            }
            digits();
        }
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            at++;
            if (at < in.length && (in[at] == '+' || in[at] == '-')) {
                at++;
            }
            if (at >= in.length || !digit(in[at])) {
                return false;
            }
            digits();
        }
        return at - start <= MAX_NUMBER && delimited();
    }

    private void digits() {
        while (at < in.length && digit(in[at])) {
            at++;
        }
    }

    private static boolean digit(final byte b) {
        return b >= '0' && b <= '9';
    }

    /** A string from its opening quote: escapes as RFC 8259 has them, UTF-8 well formed, no control characters. */
    private boolean string() {
        final byte[] bytes = in;
        int i = at + 1; // past the quote
        while (true) {
            // The common case in a tight loop: printable ASCII other than the quote and the backslash.
            while (i < bytes.length) {
                final byte b = bytes[i];
                if (b < 0x20 || b == '"' || b == '\\') {
                    break; // a byte of a multi-byte character is negative: it breaks out too
                }
                i++;
            }
            at = i;
            final int b = bytes[at] & 0xFF;
            if (b == '"') {
                at++;
                return true;
            }
            if (b == '\\') {
                if (!escape()) {
                    return false;
                }
            } else if (b < 0x80 || !utf8(b)) {
                return false; // a control character, or not UTF-8
            }
            i = at;
        }
    }

    private boolean escape() {
        final byte e = in[at + 1];
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                at += 2;
                return true;
            }
            case 'u' -> {
                int code = 0;
                for (int i = 2; i < 6; i++) {
                    final int digit = Character.digit(in[at + i], 16);
                    if (digit < 0) {
                        return false;
                    }
                    code = code * 16 + digit;
                }
                at += 6;
                return code < 0xD800 || code > 0xDFFF; // a surrogate escape: Jackson decides about pairs
            }
            default -> {
                return false;
            }
        }
    }

    /** One multi-byte UTF-8 character starting with {@code lead}: shortest form, no surrogates, at most U+10FFFF. */
    private boolean utf8(final int lead) {
        final int length;
        int code;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code = lead & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i < length; i++) {
            final int next = in[at + i] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                return false;
            }
            code = code << 6 | next & 0x3F;
        }
        at += length;
        final boolean shortest = length == 2 || length == 3 && code >= 0x800 || length == 4 && code >= 0x10000;
        return shortest && (code < 0xD800 || code > 0xDFFF) && code <= 0x10FFFF;
    }
}

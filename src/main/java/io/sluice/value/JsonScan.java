package io.sluice.value;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.common.Json;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.ValueCodec.Streamed;

/**
 * JSON read without a parser, for the two questions the value view asks of nearly every JSON record: "is this JSON?"
 * ({@link #accepts}, the {@code valueFormat: json} check) and "edit these fields" ({@link #splice}, the streaming
 * pass). Both answer only where they are certain to agree with Jackson; elsewhere they say so, and the caller asks
 * Jackson, which decides as it always did.
 *
 * <ul>
 *   <li>{@link #accepts}: strict RFC 8259 (one value, whitespace around it, no comments, no BOM), well-formed UTF-8,
 *       no escaped lone surrogates. What it accepts, Jackson's parser accepts; a no goes to Jackson. It tries the
 *       compact form first (below), which leaves the value's tape for an edit that follows.</li>
 *   <li>{@link #splice}: for a value in Jackson's <em>compact form</em> — what most producers send — one scan checks
 *       that form, that it is JSON, that no object repeats a key (equal keys have equal bytes in the compact form), and
 *       notes every value on a tape (where it lies, its key, its kind); the paths select values on the tape, and
 *       those values are edited and written in place and the bytes between them copied. A value {@link #accepts}
 *       scanned last on this thread is not scanned again. That gives the bytes Jackson's parser and generator give
 *       ({@code StreamingVsTreeProperties}). For anything else it answers {@code null} before any editor ran, and
 *       {@link JsonStreaming} takes the parser.
 *       The compact form is exactly what the generator writes: no whitespace, only the escapes it writes
 *       ({@code \" \\ \b \t \n \f \r}, and {@code u00XX} after a backslash, in upper case, for the other control
 *       characters), no character beyond the BMP (it writes those escaped), integers other than {@code -0},
 *       floating-point numbers as {@link Double#toString} writes them, and an object or array at the root.</li>
 * </ul>
 *
 * <p>Both stay far inside Jackson's stream-read limits (nesting, number, key and document length), so that nothing
 * they accept is refused by Jackson for its size. One scanner per thread: it keeps its arrays between records.
 */
final class JsonScan {

    /** Nesting deeper than this goes to Jackson (its limit: 1,000). */
    static final int MAX_DEPTH = 64;
    /** An object with more keys than this goes to Jackson in the compact form (keys are compared pairwise). */
    private static final int MAX_KEYS = 64;
    /** A number longer than this goes to Jackson (its limit: 1,000 characters). */
    private static final int MAX_NUMBER = 64;
    /** A key longer than this goes to Jackson (its limit: 50,000 characters). */
    private static final int MAX_KEY_BYTES = 32 * 1024;
    /** A longer value goes to Jackson (far below its string limit of 20,000,000 characters). */
    private static final int MAX_BYTES = 1 << 20;
    private static final ThreadLocal<JsonScan> SCANS = ThreadLocal.withInitial(JsonScan::new);

    private byte[] in;
    private int at;
    /** Jackson's compact form, noted on the tape ({@link #splice}), or any RFC 8259 JSON ({@link #accepts}). */
    private boolean compact;
    /** The edits of {@link #splice}, and the values they select. */
    private SelectedValues values;
    /** The selected values: where each starts and ends, the edits that select it, its depth, whether a string. */
    private int spans;
    private int[] spanStart = new int[8];
    private int[] spanEnd = new int[8];
    private long[] spanEdits = new long[8];
    private int[] spanDepth = new int[8];
    private boolean[] spanString = new boolean[8];
    /**
     * The tape: every value of the last value scanned in the compact form, in document order — where it starts and
     * ends, where the node after its last descendant is, where its key starts (an object member's; {@link #NO_KEY}
     * otherwise), and its kind. {@link #splice} selects fields on it without reading the bytes again, so a value checked and then
     * edited ({@code valueFormat: json} and masking in one chain) is scanned once. {@code tapeOf} is the value the tape
     * describes (the array itself: a record's bytes are replaced, never changed in place), or {@code null}.
     */
    private byte[] tapeOf;
    private int nodes;
    private int[] nodeStart = new int[TAPE];
    private int[] nodeEnd = new int[TAPE];
    private int[] nodeNext = new int[TAPE];
    private int[] nodeKeyStart = new int[TAPE];
    private byte[] nodeKind = new byte[TAPE];

    private static final int TAPE = 32;
    /** A tape longer than this is not kept for the next value (a thread keeps no large value's tape). */
    private static final int LARGE_TAPE = 1 << 14;
    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;
    private static final byte STRING = 3;
    private static final byte SCALAR = 4;
    /** {@link #value}'s key for a value that is no object member. */
    private static final int NO_KEY = -1;
    /** {@link #value}'s key (and {@link #object}'s node) when nothing goes on the tape: the lenient scan. */
    private static final int OFF_TAPE = -2;
    /** Added to a member's kind when its key has escapes (it is then compared decoded). */
    private static final byte ESCAPED_KEY = 8;

    private JsonScan() {
    }

    /** Whether the bytes are certainly one JSON document Jackson accepts ({@code false}: ask Jackson). */
    static boolean accepts(final byte[] value) {
        if (value == null || value.length == 0 || value.length > MAX_BYTES) {
            return false;
        }
        final JsonScan scan = scanner(value);
        try {
            // The compact form first, onto the tape, for the edit that often follows; then any JSON.
            if (scan.tapeOf == value || scan.compactScan()) {
                return true;
            }
            scan.compact = false;
            scan.at = 0;
            scan.whitespace();
            return scan.scanned(false);
        } finally {
            scan.done();
        }
    }

    /**
     * The edited value, or {@code null} when it is not in the compact form (nothing was edited then).
     *
     * @param buffer where the edited value is written (reset here)
     */
    static Streamed splice(final byte[] value, final FieldEdits edits, final ByteArrayBuilder buffer) {
        if (value == null || value.length < 2 || value.length > MAX_BYTES) {
            return null;
        }
        final JsonScan scan = scanner(value);
        try {
            if (scan.tapeOf != value && !scan.compactScan()) {
                return null;
            }
            scan.values = new SelectedValues(edits);
            scan.spans = 0;
            scan.select(0, 0, scan.values.all());
            return scan.splice(buffer);
        } catch (final IOException e) {
            // In memory, on a value the scan checked: editors may have run, so there is no going back to the parser.
            throw new UncheckedIOException("cannot edit the value in memory", e);
        } finally {
            scan.done();
        }
    }

    private static JsonScan scanner(final byte[] value) {
        // An editor that scans another value from inside this one's edits gets a scanner of its own.
        final JsonScan reused = SCANS.get();
        final JsonScan scan = reused.in == null ? reused : new JsonScan();
        scan.in = value;
        scan.at = 0;
        scan.spans = 0;
        return scan;
    }

    private void done() {
        in = null;
        values = null;
    }

    /** Scans the value in the compact form onto the tape; whether it is in that form (the tape is kept if so). */
    private boolean compactScan() {
        tapeOf = null;
        if (in[0] != '{' && in[0] != '[') {
            return false;
        }
        if (nodeStart.length > LARGE_TAPE) {
            newTape(TAPE);
        }
        compact = true;
        nodes = 0;
        if (!scanned(true)) {
            return false;
        }
        tapeOf = in;
        return true;
    }

    // ---- the scan

    /** Whether the whole value is one JSON value of the scan's kind, within the limits, and nothing after it. */
    private boolean scanned(final boolean onTape) {
        try {
            if (!value(0, onTape ? NO_KEY : OFF_TAPE)) {
                return false;
            }
            whitespace();
            return at == in.length;
        } catch (final ArrayIndexOutOfBoundsException truncated) {
            return false;
        }
    }

    /**
     * Scans the value at {@link #at}, {@code depth} levels deep.
     *
     * @param key where the key of this object member starts, {@link #NO_KEY} when it is none, {@link #OFF_TAPE} when
     *            nothing goes on the tape
     */
    private boolean value(final int depth, final int key) {
        final byte b = in[at];
        final boolean onTape = key != OFF_TAPE;
        final int node = nodes;
        if (onTape) {
            if (node == nodeStart.length) {
                newTape(node * 2);
            }
            nodes++;
            nodeStart[node] = at;
            nodeKeyStart[node] = key;
        }
        final boolean scanned = switch (b) {
            case '{' -> depth < MAX_DEPTH && object(depth, onTape ? node : OFF_TAPE);
            case '[' -> depth < MAX_DEPTH && array(depth, onTape);
            case '"' -> string() >= 0;
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
        if (onTape) {
            nodeEnd[node] = at;
            nodeNext[node] = nodes;
            nodeKind[node] = b == '{' ? OBJECT : b == '[' ? ARRAY : b == '"' ? STRING : SCALAR;
        }
        return scanned;
    }

    /** Tape arrays of this many nodes, keeping the nodes so far. */
    private void newTape(final int size) {
        nodeStart = Arrays.copyOf(nodeStart, size);
        nodeEnd = Arrays.copyOf(nodeEnd, size);
        nodeNext = Arrays.copyOf(nodeNext, size);
        nodeKeyStart = Arrays.copyOf(nodeKeyStart, size);
        nodeKind = Arrays.copyOf(nodeKind, size);
    }

    /** @param node the object's node on the tape, or {@link #OFF_TAPE} */
    private boolean object(final int depth, final int node) {
        at++;
        whitespace();
        if (in[at] == '}') {
            at++;
            return true;
        }
        final boolean onTape = node != OFF_TAPE;
        while (true) {
            if (in[at] != '"') {
                return false;
            }
            final int nameStart = at + 1;
            final int escapes = string();
            if (escapes < 0 || at - 1 - nameStart > MAX_KEY_BYTES || compact && !newKey(node, nameStart, at - 1)) {
                return false;
            }
            whitespace();
            if (in[at++] != ':') {
                return false;
            }
            whitespace();
            final int member = nodes;
            if (!value(depth + 1, onTape ? nameStart : OFF_TAPE)) {
                return false;
            }
            if (onTape && escapes > 0) {
                nodeKind[member] |= ESCAPED_KEY;
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

    /**
     * Whether the object at tape node {@code object} has no member yet whose key is the one between {@code start} and
     * {@code end}, and room for it. Its earlier members are on the tape (the compact form is always scanned onto it),
     * and in the compact form a key ends two bytes before its value, at the quote before the colon.
     */
    private boolean newKey(final int object, final int start, final int end) {
        final int length = end - start;
        int members = 0;
        for (int member = object + 1; member < nodes; member = nodeNext[member]) {
            final int key = nodeKeyStart[member];
            if (nodeStart[member] - 2 - key == length && sameBytes(start, key, length)) {
                return false;
            }
            members++;
        }
        return members < MAX_KEYS;
    }

    private boolean array(final int depth, final boolean onTape) {
        at++;
        whitespace();
        if (in[at] == ']') {
            at++;
            return true;
        }
        while (true) {
            if (!value(depth + 1, onTape ? NO_KEY : OFF_TAPE)) {
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

    /** Whether {@code length} bytes at {@code left} and at {@code right} are equal; by hand: keys are short. */
    private boolean sameBytes(final int left, final int right, final int length) {
        for (int i = 0; i < length; i++) {
            if (in[left + i] != in[right + i]) {
                return false;
            }
        }
        return true;
    }

    /** Skips whitespace, of which the compact form has none. */
    private void whitespace() {
        // Most calls find none: a byte above the space is no whitespace (and the end of the input is found by the
        // caller's next read).
        if (compact || at < in.length && in[at] > ' ') {
            return;
        }
        while (at < in.length) {
            final byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
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

    /** After a literal or a number: the end, a structural character or whitespace, never more of a token. */
    private boolean delimited() {
        if (at == in.length) {
            return true;
        }
        final byte b = in[at];
        return b == ',' || b == '}' || b == ']' || !compact && (b == ' ' || b == '\n' || b == '\r' || b == '\t');
    }

    /** An integer other than {@code -0}, or a floating-point number exactly as {@link Double#toString} writes it. */
    private boolean number() {
        final int start = at;
        if (in[at] == '-') {
            at++;
        }
        if (in[at] == '0') {
            at++;
        } else if (digit(in[at])) {
            digits();
        } else {
            return false;
        }
        boolean floating = false;
        if (at < in.length && in[at] == '.') {
            floating = true;
            at++;
            if (!digit(in[at])) {
                return false;
            }
            digits();
        }
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            floating = true;
            at++;
            if (in[at] == '+' || in[at] == '-') {
                at++;
            }
            if (!digit(in[at])) {
                return false;
            }
            digits();
        }
        final int length = at - start;
        if (length > MAX_NUMBER || !delimited()) {
            return false;
        }
        if (!compact) {
            return true;
        }
        if (!floating) {
            return !(length == 2 && in[start] == '-' && in[start + 1] == '0'); // -0: the generator writes 0
        }
        final String text = new String(in, start, length, StandardCharsets.ISO_8859_1);
        return Double.toString(Double.parseDouble(text)).equals(text);
    }

    private void digits() {
        while (at < in.length && digit(in[at])) {
            at++;
        }
    }

    private static boolean digit(final byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * A string, from its opening quote to past its closing one.
     *
     * @return how many escapes it holds, or -1 when it is not a string of the scan's kind
     */
    /** The bytes a string's plain run stops at: control characters, the quote, the backslash, and non-ASCII. */
    private static final boolean[] STRING_STOP = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            STRING_STOP[b] = b < 0x20 || b == '"' || b == '\\' || b >= 0x80;
        }
    }

    private int string() {
        final byte[] bytes = in;
        int i = at + 1;
        int escapes = 0;
        while (true) {
            while (i < bytes.length && !STRING_STOP[bytes[i] & 0xFF]) {
                i++;
            }
            final int b = bytes[i] & 0xFF;
            if (b == '"') {
                at = i + 1;
                return escapes;
            }
            if (b == '\\') {
                final int length = escape(i);
                if (length < 0) {
                    return -1;
                }
                escapes++;
                i += length;
            } else if (b < 0x80) {
                return -1; // a control character
            } else {
                final int length = utf8(i, b);
                if (length < 0) {
                    return -1;
                }
                i += length;
            }
        }
    }

    /**
     * The length of the escape at {@code i}, or -1: in the compact form, when the generator would not write it so;
     * otherwise when RFC 8259 has no such escape, or it is a surrogate's (Jackson decides about pairs).
     */
    private int escape(final int i) {
        switch (in[i + 1]) {
            case '"', '\\', 'b', 't', 'n', 'f', 'r' -> {
                return 2;
            }
            case '/' -> {
                return compact ? -1 : 2;
            }
            case 'u' -> {
                return compact ? compactUnicodeEscape(i) : unicodeEscape(i);
            }
            default -> {
                return -1;
            }
        }
    }

    private int unicodeEscape(final int i) {
        int code = 0;
        for (int h = 2; h < 6; h++) {
            final int digit = Character.digit(in[i + h], 16);
            if (digit < 0) {
                return -1;
            }
            code = code * 16 + digit;
        }
        return code < 0xD800 || code > 0xDFFF ? 6 : -1;
    }

    private int compactUnicodeEscape(final int i) {
        if (in[i + 2] != '0' || in[i + 3] != '0' || in[i + 4] != '0' && in[i + 4] != '1' || !upperHex(in[i + 5])) {
            return -1;
        }
        final int code = (in[i + 4] - '0') * 16 + Character.digit(in[i + 5], 16);
        // the generator writes these short
        return code == 0x08 || code == 0x09 || code == 0x0A || code == 0x0C || code == 0x0D ? -1 : 6;
    }

    private static boolean upperHex(final byte b) {
        return b >= '0' && b <= '9' || b >= 'A' && b <= 'F';
    }

    /**
     * The length of the multi-byte character at {@code i} in its shortest form, not a surrogate, at most U+10FFFF, or
     * -1; in the compact form four bytes are -1 too (the generator escapes characters beyond the BMP).
     */
    private int utf8(final int i, final int lead) {
        final int length;
        int code;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4 && !compact) {
            length = 4;
            code = lead & 0x07;
        } else {
            return -1;
        }
        for (int k = 1; k < length; k++) {
            final int next = in[i + k] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                return -1;
            }
            code = code << 6 | next & 0x3F;
        }
        final boolean shortest = length == 2 || length == 3 && code >= 0x800 || length == 4 && code >= 0x10000;
        return shortest && (code < 0xD800 || code > 0xDFFF) && code <= 0x10FFFF ? length : -1;
    }

    /** The text of a string's content in the compact form, escapes decoded. */
    private String decode(final int from, final int to) {
        int first = from;
        while (first < to && in[first] != '\\') {
            first++;
        }
        if (first == to) {
            // Most values have no escape: one copy, no builder.
            return new String(in, from, to - from, StandardCharsets.UTF_8);
        }
        final StringBuilder text = new StringBuilder(to - from);
        int plain = from;
        for (int i = first; i < to; i++) {
            if (in[i] != '\\') {
                continue;
            }
            text.append(new String(in, plain, i - plain, StandardCharsets.UTF_8));
            final byte e = in[i + 1];
            switch (e) {
                case 'b' -> text.append('\b');
                case 't' -> text.append('\t');
                case 'n' -> text.append('\n');
                case 'f' -> text.append('\f');
                case 'r' -> text.append('\r');
                case 'u' -> text.append((char) Integer.parseInt(new String(in, i + 2, 4, StandardCharsets.ISO_8859_1), 16));
                default -> text.append((char) e); // " and \
            }
            i += e == 'u' ? 5 : 1;
            plain = i + 1;
        }
        return text.append(new String(in, plain, to - plain, StandardCharsets.UTF_8)).toString();
    }

    private void addSpan(final int start, final int end, final long live, final int depth, final boolean string) {
        if (spans == spanStart.length) {
            final int size = spans * 2;
            spanStart = Arrays.copyOf(spanStart, size);
            spanEnd = Arrays.copyOf(spanEnd, size);
            spanEdits = Arrays.copyOf(spanEdits, size);
            spanDepth = Arrays.copyOf(spanDepth, size);
            spanString = Arrays.copyOf(spanString, size);
        }
        spanStart[spans] = start;
        spanEnd[spans] = end;
        spanEdits[spans] = live;
        spanDepth[spans] = depth;
        spanString[spans] = string;
        spans++;
    }

    // ---- the edits

    /**
     * Notes the values the edits in {@code live} select at or under tape node {@code node}, {@code depth} path segments
     * deep, in document order.
     */
    private void select(final int node, final int depth, final long live) {
        final int kind = nodeKind[node] & ~ESCAPED_KEY;
        if (values.selectsHere(depth, live)) {
            addSpan(nodeStart[node], nodeEnd[node], live, depth, kind == STRING);
            return;
        }
        if (kind == OBJECT) {
            for (int member = node + 1; member < nodeNext[node]; member = nodeNext[member]) {
                // In the compact form a key ends two bytes before its value: at the quote before the colon.
                final int from = nodeKeyStart[member];
                final int to = nodeStart[member] - 2;
                final long into = (nodeKind[member] & ESCAPED_KEY) != 0
                    ? values.intoField(depth, live, decode(from, to))
                    : values.intoField(depth, live, in, from, to);
                if (into != 0) {
                    select(member, depth + 1, into);
                }
            }
        } else if (kind == ARRAY) {
            int index = 0;
            for (int element = node + 1; element < nodeNext[node]; element = nodeNext[element]) {
                final long into = values.intoElement(depth, live, index++);
                if (into != 0) {
                    select(element, depth + 1, into);
                }
            }
        }
        // A scalar where a path wanted an object or array: it leads nowhere.
    }

    /** Edits the selected values in document order and writes the value with them in place. */
    private Streamed splice(final ByteArrayBuilder buffer) throws IOException {
        if (spans == 0) {
            return new Streamed(in, 0);
        }
        buffer.reset();
        int copied = 0;
        JsonGenerator generator = null;
        try {
            for (int s = 0; s < spans; s++) {
                final int start = spanStart[s];
                final int end = spanEnd[s];
                final JsonNode node = values.edit(spanString[s] ? TextNode.valueOf(decode(start + 1, end - 1))
                    : JsonStreaming.SUBTREE.readTree(in, start, end - start), spanDepth[s], spanEdits[s]);
                buffer.write(in, copied, start - copied);
                copied = end;
                if (node.isTextual() && writeCompact(buffer, node.textValue())) {
                    continue;
                }
                if (generator == null) {
                    generator = Json.MAPPER.createGenerator(buffer);
                    // each edited value is written as a root value: no separator between them
                    generator.setRootValueSeparator(null);
                }
                if (node.isTextual()) {
                    generator.writeString(node.textValue());
                } else {
                    generator.writeTree(node);
                }
                generator.flush();
            }
            if (values.selected() == 0) {
                return new Streamed(in, 0);
            }
            buffer.write(in, copied, in.length - copied);
            return new Streamed(buffer.toByteArray(), values.selected());
        } finally {
            if (generator != null) {
                generator.close();
            }
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes a string as Jackson's generator writes it — the compact form: the quote and the backslash escaped, the
     * five control characters that have short escapes (b, t, n, f, r) so, the others as a six-character escape with
     * upper-case hex digits, the rest as UTF-8 — without a generator per record. A string with a surrogate (a character beyond the BMP) is left to
     * the generator: then this writes nothing and returns {@code false}.
     */
    static boolean writeCompact(final ByteArrayBuilder out, final String text) {
        final int length = text.length();
        boolean plain = true;
        for (int i = 0; i < length; i++) {
            final char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                return false;
            }
            plain &= c >= 0x20 && c != '"' && c != '\\';
        }
        out.write('"');
        if (plain) {
            final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.write(utf8, 0, utf8.length);
        } else {
            int from = 0;
            for (int i = 0; i < length; i++) {
                final char c = text.charAt(i);
                if (c >= 0x20 && c != '"' && c != '\\') {
                    continue;
                }
                final byte[] before = text.substring(from, i).getBytes(StandardCharsets.UTF_8);
                out.write(before, 0, before.length);
                out.write('\\');
                switch (c) {
                    case '"' -> out.write('"');
                    case '\\' -> out.write('\\');
                    case '\b' -> out.write('b');
                    case '\t' -> out.write('t');
                    case '\n' -> out.write('n');
                    case '\f' -> out.write('f');
                    case '\r' -> out.write('r');
                    default -> {
                        out.write('u');
                        out.write('0');
                        out.write('0');
                        out.write(HEX[c >> 4]);
                        out.write(HEX[c & 0xF]);
                    }
                }
                from = i + 1;
            }
            final byte[] rest = text.substring(from).getBytes(StandardCharsets.UTF_8);
            out.write(rest, 0, rest.length);
        }
        out.write('"');
        return true;
    }
}

package io.sluice.value;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sluice.common.Json;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.ValueCodec.Streamed;

/**
 * Field edits on JSON bytes in one pass, without a tree: only the values a path selects are built into nodes (a
 * string: one {@link TextNode}), edited exactly as the tree path edits them ({@link NodeField}), and written back.
 * The output is what the tree path writes: Jackson's compact form of every token. When nothing is selected the
 * value's bytes stay as they are, as with the tree.
 *
 * <p>Two ways to the same bytes. A value already in Jackson's compact form ({@link #canonical}: no whitespace, only
 * the escapes Jackson writes, numbers as Jackson writes them), which is what most producers send, is only parsed:
 * the bytes between the selected values are copied as they are, and only the edited values are written. Any other
 * value has every token copied from the parser to a generator, which writes the compact form.
 *
 * <p>Where the tree would read the document differently, the pass gives up and the caller falls back to the tree:
 * duplicate keys (the tree keeps the last value at the first key's place), and anything the parser refuses (the
 * tree parser then says why, as it always did). An editor may therefore see a field again, on the tree, after the
 * pass gave up.
 */
final class JsonStreaming {

    /** Edits are tracked as bits of a long: more than that goes through the tree. */
    private static final int MAX_EDITS = 64;
    private static final ObjectMapper STRICT = Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Reads one selected subtree; the rest of the document follows it. */
    private static final ObjectReader SUBTREE = STRICT.readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ThreadLocal<ByteArrayBuilder> BUFFERS = ThreadLocal.withInitial(() -> new ByteArrayBuilder(512));

    private JsonStreaming() {
    }

    /** Whether the bytes are one JSON document the tree parser accepts (duplicate keys included). */
    static boolean wellFormed(final byte[] value) {
        return StrictJson.accepts(value) || parsesWithJackson(value);
    }

    /** {@link #wellFormed}, asking Jackson's parser. */
    static boolean parsesWithJackson(final byte[] value) {
        if (value == null) {
            return false;
        }
        try (JsonParser parser = Json.MAPPER.createParser(value)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return JsonCodec.atEnd(parser);
        } catch (final IOException e) {
            return false;
        }
    }

    /** The edited bytes, or {@code null} when the tree must decide (see the class comment). */
    static Streamed edit(final byte[] value, final FieldEdits edits) {
        if (edits.size() > MAX_EDITS) {
            return null;
        }
        final ByteArrayBuilder buffer = BUFFERS.get();
        buffer.reset();
        final boolean splice = canonical(value);
        Pass pass = null;
        try (JsonParser parser = STRICT.createParser(value)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            pass = new Pass(parser, buffer, edits, splice ? value : null);
            final long all = edits.size() == MAX_EDITS ? -1L : (1L << edits.size()) - 1;
            try {
                pass.value(first, 0, all);
            } catch (final RuntimeException editorFailure) {
                // An editor threw: its failure is the hook's, unless the document is broken further on (the
                // tree path would have refused it before any editor ran).
                if (!wellFormedRest(parser)) {
                    return null;
                }
                throw editorFailure;
            }
            if (!JsonCodec.atEnd(parser)) {
                return null;
            }
            if (pass.selected == 0) {
                return new Streamed(value, 0);
            }
            if (splice) {
                pass.copyUpTo(value.length);
            }
            pass.out().flush();
            return new Streamed(buffer.toByteArray(), pass.selected);
        } catch (final IOException e) {
            return null;
        } finally {
            if (pass != null) {
                pass.close();
            }
            if (buffer.size() > 1 << 20) {
                BUFFERS.remove(); // do not keep a large value's buffer per thread
            }
        }
    }

    /**
     * Whether a value is a JSON object or array exactly as Jackson's generator writes it (given that it parses): no
     * whitespace, strings with only the escapes Jackson writes ({@code \"}, {@code \\}, {@code \b \t \n \f \r},
     * a backslash, {@code u00XX} in upper case for the other control characters; characters beyond the BMP escaped
     * as surrogate pairs, which this check leaves to the generator; everything else as UTF-8), integers other
     * than {@code -0}, and floating-point numbers as {@link Double#toString} writes them.
     */
    static boolean canonical(final byte[] value) {
        final int length = value.length;
        if (length == 0 || value[0] != '{' && value[0] != '[') {
            return false;
        }
        int i = 0;
        while (i < length) {
            final byte c = value[i];
            if (c == '"') {
                i = canonicalString(value, i + 1);
                if (i < 0) {
                    return false;
                }
            } else if (c == '-' || c >= '0' && c <= '9') {
                int end = i + 1;
                boolean floating = false;
                while (end < length && isNumberByte(value[end])) {
                    floating |= value[end] == '.' || value[end] == 'e' || value[end] == 'E';
                    end++;
                }
                if (floating ? !canonicalDouble(value, i, end) : end - i == 2 && c == '-' && value[i + 1] == '0') {
                    return false;
                }
                i = end;
            } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                return false;
            } else {
                i++;
            }
        }
        return true;
    }

    private static boolean isNumberByte(final byte b) {
        return b >= '0' && b <= '9' || b == '.' || b == 'e' || b == 'E' || b == '-' || b == '+';
    }

    private static boolean canonicalDouble(final byte[] value, final int from, final int to) {
        final String text = new String(value, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return Double.toString(Double.parseDouble(text)).equals(text);
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    /** Where the string that starts after {@code from}'s quote ends (past its closing quote), or -1 if not canonical. */
    private static int canonicalString(final byte[] value, final int from) {
        int i = from;
        while (i < value.length) {
            final byte c = value[i];
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= value.length) {
                    return -1;
                }
                switch (value[i + 1]) {
                    case '"', '\\', 'b', 't', 'n', 'f', 'r' -> i += 2;
                    case 'u' -> {
                        if (i + 5 >= value.length || value[i + 2] != '0' || value[i + 3] != '0'
                            || (value[i + 4] != '0' && value[i + 4] != '1') || !upperHex(value[i + 5])) {
                            return -1;
                        }
                        final int code = (value[i + 4] - '0') * 16 + Character.digit(value[i + 5], 16);
                        if (code == 0x08 || code == 0x09 || code == 0x0A || code == 0x0C || code == 0x0D) {
                            return -1; // Jackson writes these short
                        }
                        i += 6;
                    }
                    default -> {
                        return -1; // \/ and any other escape Jackson does not write
                    }
                }
            } else if ((c & 0xF8) == 0xF0) {
                return -1; // a character beyond the BMP: Jackson writes its surrogate pair escaped
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean upperHex(final byte b) {
        return b >= '0' && b <= '9' || b >= 'A' && b <= 'F';
    }

    /** Whether the rest of the document parses (no duplicate keys either), reading it to the end. */
    private static boolean wellFormedRest(final JsonParser parser) {
        try {
            while (parser.nextToken() != null) {
                if (parser.getParsingContext().inRoot()) {
                    // the root value closed: anything after it is trailing tokens, which the tree refuses
                    return parser.nextToken() == null;
                }
            }
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /**
     * One pass: the parser, the generator, and what was selected. With {@code source} (a value in compact form),
     * nothing is written but the edited values: the bytes before each are copied from the source.
     */
    private static final class Pass {
        private final JsonParser parser;
        /** Created at once when every token is copied; when splicing, only for the first edited value. */
        private JsonGenerator generator;
        private final FieldEdits edits;
        private final NodeField[] fields;
        private final byte[] source;
        private final ByteArrayBuilder output;
        /** Splicing: how much of the source is in the output. */
        private int copied;
        int selected;

        Pass(final JsonParser parser, final ByteArrayBuilder output, final FieldEdits edits, final byte[] source)
            throws IOException {
            this.output = output;
            this.parser = parser;
            this.edits = edits;
            this.fields = new NodeField[edits.size()];
            this.source = source;
            if (source == null) {
                out();
            }
        }

        JsonGenerator out() throws IOException {
            if (generator == null) {
                generator = Json.MAPPER.createGenerator(output);
                if (source != null) {
                    // the edited values are written one by one, each a root value to the generator: no separator
                    generator.setRootValueSeparator(null);
                }
            }
            return generator;
        }

        void close() {
            if (generator != null) {
                try {
                    generator.close();
                } catch (final IOException e) {
                    // in memory: nothing to lose
                }
            }
        }

        /** Splicing: copies the source up to {@code end} (through the generator, so that the order holds). */
        void copyUpTo(final int end) throws IOException {
            if (end > copied) {
                out().flush();
                output.write(source, copied, end - copied);
                copied = end;
            }
        }

        /**
         * Copies the value that starts at {@code token}, {@code depth} path segments deep, editing it for the edits
         * in {@code live}: those whose first {@code depth} segments lead here.
         */
        void value(final JsonToken token, final int depth, final long live) throws IOException {
            final boolean write = source == null;
            if (live == 0) {
                if (write) {
                    generator.copyCurrentStructure(parser);
                } else {
                    parser.skipChildren();
                }
                return;
            }
            if (selectsHere(depth, live)) {
                edit(token, depth, live);
                return;
            }
            if (token == JsonToken.START_OBJECT) {
                if (write) {
                    generator.writeStartObject();
                }
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    final String name = parser.currentName();
                    if (write) {
                        generator.writeFieldName(name);
                    }
                    long child = 0;
                    for (long bits = live; bits != 0; bits &= bits - 1) {
                        final int i = Long.numberOfTrailingZeros(bits);
                        if (edits.get(i).path().selectsName(depth, name)) {
                            child |= 1L << i;
                        }
                    }
                    value(parser.nextToken(), depth + 1, child);
                }
                if (write) {
                    generator.writeEndObject();
                }
            } else if (token == JsonToken.START_ARRAY) {
                if (write) {
                    generator.writeStartArray();
                }
                int index = 0;
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    long child = 0;
                    for (long bits = live; bits != 0; bits &= bits - 1) {
                        final int i = Long.numberOfTrailingZeros(bits);
                        if (edits.get(i).path().selectsIndex(depth, index)) {
                            child |= 1L << i;
                        }
                    }
                    value(next, depth + 1, child);
                    index++;
                }
                if (write) {
                    generator.writeEndArray();
                }
            } else if (write) {
                // A scalar where a path wanted an object or array: it leads nowhere.
                generator.copyCurrentEvent(parser);
            }
        }

        private boolean selectsHere(final int depth, final long live) {
            for (long bits = live; bits != 0; bits &= bits - 1) {
                if (edits.get(Long.numberOfTrailingZeros(bits)).path().length() == depth) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A value some edit selects: built into a node, edited by every live edit in order (those that select it,
         * and those that select inside it, as the tree would), and written.
         */
        private void edit(final JsonToken token, final int depth, final long live) throws IOException {
            final int start = source == null ? 0 : (int) parser.currentTokenLocation().getByteOffset();
            final int length = token.isNumeric() ? parser.getTextLength() : token.isScalarValue() && token != JsonToken.VALUE_STRING
                ? token.asString().length() : 0;
            JsonNode node = token == JsonToken.VALUE_STRING ? TextNode.valueOf(parser.getText()) : SUBTREE.readTree(parser);
            final int end = source == null ? 0 : length > 0 ? start + length : (int) parser.currentLocation().getByteOffset();
            for (long bits = live; bits != 0; bits &= bits - 1) {
                final int i = Long.numberOfTrailingZeros(bits);
                final FieldEdits.Edit edit = edits.get(i);
                final NodeField field = field(i);
                final boolean counts = edit.mode() != FieldEdits.Mode.READ;
                if (edit.path().length() == depth) {
                    node = field.apply(node);
                    selected += counts ? 1 : 0;
                } else {
                    final int count = edit.path().apply(node, depth, field);
                    selected += counts ? count : 0;
                }
            }
            if (source != null) {
                copyUpTo(start);
                copied = end;
            }
            if (node.isTextual()) {
                out().writeString(node.textValue());
            } else {
                out().writeTree(node);
            }
        }

        private NodeField field(final int i) {
            NodeField field = fields[i];
            if (field == null) {
                field = new NodeField(edits.get(i));
                fields[i] = field;
            }
            return field;
        }
    }
}

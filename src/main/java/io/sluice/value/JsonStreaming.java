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
 * <p>Two ways to the same bytes. A value already in Jackson's compact form, which is what most producers send, is
 * scanned without a parser and only the edited values are written, the bytes between them copied
 * ({@link JsonScan#splice}). Any other value has every token copied from Jackson's parser to its generator, which
 * writes the compact form.
 *
 * <p>Where the tree would read the document differently, the pass gives up and the caller falls back to the tree:
 * duplicate keys (the tree keeps the last value at the first key's place), and anything the parser refuses (the
 * tree parser then says why, as it always did). An editor may therefore see a field again, on the tree, after the
 * pass gave up.
 */
final class JsonStreaming {

    private static final ObjectMapper STRICT = Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Reads one selected subtree; the rest of the document follows it. */
    static final ObjectReader SUBTREE = STRICT.readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ThreadLocal<ByteArrayBuilder> BUFFERS = ThreadLocal.withInitial(() -> new ByteArrayBuilder(512));

    private JsonStreaming() {
    }

    /** Whether the bytes are one JSON document the tree parser accepts (duplicate keys included). */
    static boolean wellFormed(final byte[] value) {
        return JsonScan.accepts(value) || parsesWithJackson(value);
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
        if (edits.size() > SelectedValues.MAX_EDITS) {
            return null;
        }
        final ByteArrayBuilder buffer = BUFFERS.get();
        try {
            final Streamed compact = JsonScan.splice(value, edits, buffer);
            if (compact != null) {
                return compact;
            }
            buffer.reset();
            return parsed(value, edits, buffer);
        } finally {
            if (buffer.size() > 1 << 20) {
                BUFFERS.remove(); // do not keep a large value's buffer per thread
            }
        }
    }

    /** The pass through Jackson's parser and generator. */
    private static Streamed parsed(final byte[] value, final FieldEdits edits, final ByteArrayBuilder buffer) {
        Pass pass = null;
        try (JsonParser parser = STRICT.createParser(value)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            pass = new Pass(parser, buffer, edits);
            try {
                pass.value(first, 0, pass.values.all());
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
            if (pass.values.selected() == 0) {
                return new Streamed(value, 0);
            }
            pass.generator.flush();
            return new Streamed(buffer.toByteArray(), pass.values.selected());
        } catch (final IOException e) {
            return null;
        } finally {
            if (pass != null) {
                pass.close();
            }
        }
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

    /** One pass: the parser, the generator, and what was selected. */
    private static final class Pass {
        private final JsonParser parser;
        private final JsonGenerator generator;
        final SelectedValues values;

        Pass(final JsonParser parser, final ByteArrayBuilder output, final FieldEdits edits) throws IOException {
            this.parser = parser;
            this.values = new SelectedValues(edits);
            this.generator = Json.MAPPER.createGenerator(output);
        }

        void close() {
            try {
                generator.close();
            } catch (final IOException e) {
                // in memory: nothing to lose
            }
        }

        /**
         * Copies the value that starts at {@code token}, {@code depth} path segments deep, editing it for the edits
         * in {@code live}: those whose first {@code depth} segments lead here.
         */
        void value(final JsonToken token, final int depth, final long live) throws IOException {
            if (live == 0) {
                generator.copyCurrentStructure(parser);
                return;
            }
            if (values.selectsHere(depth, live)) {
                edit(token, depth, live);
                return;
            }
            if (token == JsonToken.START_OBJECT) {
                generator.writeStartObject();
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    final String name = parser.currentName();
                    generator.writeFieldName(name);
                    value(parser.nextToken(), depth + 1, values.intoField(depth, live, name));
                }
                generator.writeEndObject();
            } else if (token == JsonToken.START_ARRAY) {
                generator.writeStartArray();
                int index = 0;
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    value(next, depth + 1, values.intoElement(depth, live, index));
                    index++;
                }
                generator.writeEndArray();
            } else {
                // A scalar where a path wanted an object or array: it leads nowhere.
                generator.copyCurrentEvent(parser);
            }
        }

        /**
         * A value some edit selects: built into a node, edited by every live edit in order (those that select it,
         * and those that select inside it, as the tree would), and written.
         */
        private void edit(final JsonToken token, final int depth, final long live) throws IOException {
            final JsonNode node = values.edit(
                token == JsonToken.VALUE_STRING ? TextNode.valueOf(parser.getText()) : SUBTREE.readTree(parser),
                depth, live);
            if (node.isTextual()) {
                generator.writeString(node.textValue());
            } else {
                generator.writeTree(node);
            }
        }
    }
}

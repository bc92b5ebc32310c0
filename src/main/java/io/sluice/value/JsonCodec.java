package io.sluice.value;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.DecodedValue;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;

/**
 * JSON (UTF-8, or what Jackson detects) values: decoded into a Jackson tree when a plugin asks for the tree, and
 * otherwise checked and edited by {@link JsonStreaming}'s one pass over the tokens, which gives the same bytes.
 */
public final class JsonCodec implements ValueCodec {

    public static final String FORMAT = "json";
    public static final JsonCodec INSTANCE = new JsonCodec();

    private JsonCodec() {
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public JsonTree decode(final byte[] value) {
        return new JsonTree(parse(value));
    }

    @Override
    public void check(final byte[] value) {
        if (!JsonStreaming.wellFormed(value)) {
            parse(value); // says why, as the tree parser does
        }
    }

    @Override
    public Streamed stream(final byte[] value, final FieldEdits edits) {
        return JsonStreaming.edit(value, edits);
    }

    /** Thrown when a value is not JSON; its message gives the place, never the text. */
    public static final class NotJsonException extends ValueFormatException {
        NotJsonException(final String message) {
            super(message);
        }
    }

    /**
     * Parses a whole value into a tree.
     *
     * @throws NotJsonException when it is absent or not JSON
     */
    public static JsonNode parse(final byte[] bytes) {
        if (bytes == null) {
            throw new NotJsonException("the value is null (a tombstone), not JSON");
        }
        final JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (final JsonProcessingException e) {
            // Jackson's message quotes the value: say only where it breaks, so no plaintext reaches audit or logs.
            final JsonLocation at = e.getLocation();
            throw new NotJsonException("the value is not JSON" + (at == null ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (final IOException e) {
            throw new NotJsonException("the value is not JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new NotJsonException("the value is empty, not JSON");
        }
        return tree;
    }

    /** Parses a field's new value given as JSON text ({@link io.sluice.spi.Field#setEncoded}). */
    static JsonNode parseField(final byte[] bytes, final FieldPath path) {
        try {
            final JsonNode node = Json.MAPPER.readTree(bytes);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (final IOException e) {
            // reported below, without the parser's message (it quotes the text)
        }
        throw NodeField.notJson(path);
    }

    /** Whether a parser stopped at the end of the value, as the tree parser requires (no trailing tokens). */
    static boolean atEnd(final JsonParser parser) throws IOException {
        return parser.nextToken() == null;
    }

    static boolean isScalar(final JsonToken token) {
        return token.isScalarValue();
    }
}

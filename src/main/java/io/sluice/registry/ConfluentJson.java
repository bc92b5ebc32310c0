package io.sluice.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.DecodedValue;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;
import io.sluice.value.JsonTree;

/**
 * {@code confluent-json}: UTF-8 JSON after the 5-byte header, its id a JSON Schema in the registry; edited as a
 * JSON tree and written back under the same id. Thread-safe. Messages name the schema id, never the value.
 */
public final class ConfluentJson implements ValueCodec {

    public static final String FORMAT = "confluent-json";

    private final SchemaRegistryClient registry;
    private final Map<Integer, JsonNode> schemas = new ConcurrentHashMap<>();

    public ConfluentJson(final SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Framed decode(final byte[] value) {
        final int id = WireFormat.schemaId(value);
        schema(id);
        final JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(value, WireFormat.HEADER_LENGTH, value.length - WireFormat.HEADER_LENGTH);
        } catch (final IOException e) {
            throw new ValueFormatException("the value does not decode under its JSON schema (id " + id
                + "): the payload is not JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ValueFormatException("the value does not decode under its JSON schema (id " + id
                + "): no JSON after the header");
        }
        return new Framed(id, new JsonTree(tree));
    }

    @Override
    public int schemaIdOf(final byte[] value) {
        decode(value);
        return WireFormat.schemaId(value);
    }

    /** The JSON Schema of an id (fetched once). */
    public JsonNode schema(final int id) {
        final JsonNode known = schemas.get(id);
        if (known != null) {
            return known;
        }
        final RegisteredSchema registered = Schemas.fetch(registry, id);
        if (registered.type() != SchemaType.JSON) {
            throw new ValueFormatException("schema id " + id + " is a " + registered.type() + " schema, not a JSON Schema"
                + (registered.type() == SchemaType.PROTOBUF ? Schemas.PROTOBUF_NOT_YET : ""));
        }
        final JsonNode schema;
        try {
            schema = Json.MAPPER.readTree(registered.schema());
        } catch (final IOException e) {
            throw new ValueFormatException("schema id " + id + " is not a usable JSON Schema: not JSON");
        }
        schemas.putIfAbsent(id, schema);
        return schema;
    }

    /** A framed JSON value: its tree, written back after the same header. */
    public static final class Framed implements DecodedValue {

        private final int schemaId;
        private final JsonTree tree;

        Framed(final int schemaId, final JsonTree tree) {
            this.schemaId = schemaId;
            this.tree = tree;
        }

        public JsonNode root() {
            return tree.root();
        }

        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public int schemaId() {
            return schemaId;
        }

        @Override
        public int apply(final FieldEdits edits) {
            return tree.apply(edits);
        }

        @Override
        public byte[] encode() {
            return WireFormat.frame(schemaId, tree.encode());
        }
    }
}

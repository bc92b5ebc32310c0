package io.sluice.registry;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.ValueFormatException;

/**
 * Framed JSON ({@code confluent-json}): UTF-8 JSON after the 5-byte header, its id a JSON Schema in the registry.
 * Thread-safe. Messages name the schema id, never the value's content.
 */
public final class ConfluentJson {

    private final SchemaRegistryClient registry;
    private final Map<Integer, JsonNode> schemas = new ConcurrentHashMap<>();

    public ConfluentJson(final SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** The decoded value and its id. */
    public record JsonValue(int schemaId, JsonNode schema, JsonNode value) {
    }

    public JsonValue decode(final byte[] value) {
        final int id = WireFormat.schemaId(value);
        final JsonNode schema = schema(id);
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
        return new JsonValue(id, schema, tree);
    }

    public byte[] encode(final int schemaId, final JsonNode value) {
        try {
            return WireFormat.frame(schemaId, Json.MAPPER.writeValueAsBytes(value));
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write JSON to memory", e);
        }
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
}

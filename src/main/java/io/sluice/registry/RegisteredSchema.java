package io.sluice.registry;

/**
 * A schema as the registry holds it under an id (ids are immutable: cached for good).
 *
 * @param id     the global schema id, as framed values carry it
 * @param type   AVRO, JSON or PROTOBUF
 * @param schema the schema text
 */
public record RegisteredSchema(int id, SchemaType type, String schema) {
}

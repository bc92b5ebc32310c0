package io.sluice.registry;

import org.apache.avro.Schema;

/**
 * A framed Avro value, decoded with its writer schema.
 *
 * @param schemaId the id it was framed with
 * @param schema   the writer schema (the registry's schema of that id)
 * @param datum    the generic datum: a {@link org.apache.avro.generic.GenericRecord} for a record schema
 */
public record AvroValue(int schemaId, Schema schema, Object datum) {
}

/**
 * Avro encodings of the config and audit topics: the classes generated from {@code schemas/} (same package),
 * {@link io.sluice.avro.AvroCodec} (single-object encoding, no schema registry), the
 * {@link io.sluice.avro.SchemaCatalog} of every schema version we shipped, and a Kafka
 * {@link io.sluice.avro.AvroSerde}. See {@code schemas/README.md} for how schemas may change.
 */
package io.sluice.avro;

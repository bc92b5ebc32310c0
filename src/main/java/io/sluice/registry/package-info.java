/**
 * Values in a schema registry's wire format (README "Schema registry formats"): the
 * {@link io.sluice.registry.SchemaRegistryClient} for the Confluent Schema Registry REST API, its
 * {@link io.sluice.registry.SchemaRegistrySettings} from the topology, the Confluent framing
 * ({@link io.sluice.registry.WireFormat}), and the codecs of framed Avro and JSON Schema values that the field
 * plugins read through.
 */
package io.sluice.registry;

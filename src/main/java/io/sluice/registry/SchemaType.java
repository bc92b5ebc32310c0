package io.sluice.registry;

import java.util.Locale;

/** The schema types of the Confluent API; a schema without {@code schemaType} is Avro. */
public enum SchemaType {
    AVRO, JSON, PROTOBUF;

    /** The type the registry reports, {@code null} (absent) meaning Avro. */
    static SchemaType fromRegistry(final String name) {
        if (name == null || name.isEmpty()) {
            return AVRO;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.BAD_ANSWER,
                "the registry reports a schema type '" + name + "' that Sluice does not know");
        }
    }
}

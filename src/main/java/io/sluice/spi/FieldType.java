package io.sluice.spi;

/**
 * What kind of value a {@link Field} holds, format-neutral. A codec's own type name (an Avro {@code long}, a JSON
 * {@code number}) is {@link Field#typeName()}.
 */
public enum FieldType {
    STRING,
    /** Raw bytes: Avro {@code bytes} and {@code fixed}; JSON has none. */
    BYTES,
    NUMBER,
    BOOLEAN,
    NULL,
    /** A JSON object, an Avro record or map. */
    OBJECT,
    ARRAY,
    /** Anything else a format has (an Avro enum symbol). */
    OTHER
}

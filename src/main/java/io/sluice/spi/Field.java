package io.sluice.spi;

/**
 * One value a {@link FieldPath} selected, as a {@link FieldEditor} sees it: read it, and replace it through the
 * setters. The object is a cursor that the value view reuses for the next field: do not keep it.
 *
 * <p>Replacements keep to the value's schema where the format has one: a codec refuses a value its schema cannot
 * hold with a {@link ValueFormatException} that names the field and its type (an Avro {@code int} cannot become
 * a string). JSON has no schema: any field may become a string.
 */
public interface Field {

    /** The path, as configured, that selected the field (for messages). */
    FieldPath path();

    FieldType type();

    /** The format's own name for the field's type, for messages: {@code number}, {@code string}, Avro {@code long}. */
    String typeName();

    /**
     * The value as text: a string as it is; a number or boolean as its text (JSON {@code 12.5}, {@code true}); bytes
     * as UTF-8.
     *
     * @throws IllegalStateException for null, objects and arrays
     */
    String text();

    /**
     * The value as bytes that {@link #setEncoded} turns back into the same value, type included where the format
     * does not fix it: the JSON text of a JSON value ({@code "4111"}, {@code 12.5}, {@code {"a":1}}); for a format
     * with a schema, which fixes the type, a string's UTF-8 or the bytes as they are. What field encryption seals.
     */
    byte[] encoded();

    /** Replaces the value with a string (an Avro {@code bytes} field takes its UTF-8). */
    void setString(String value);

    /** Replaces the value with bytes (JSON has no bytes: a JSON field takes them as a base64 string). */
    void setBytes(byte[] value);

    /**
     * Replaces the value with one given as {@link #encoded()} gave it.
     *
     * @throws ValueFormatException when the bytes are not a value of this field (its message does not quote them)
     */
    void setEncoded(byte[] encoded);
}

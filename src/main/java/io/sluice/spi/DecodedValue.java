package io.sluice.spi;

/**
 * A value a {@link ValueCodec} decoded: mutable, shared by the interceptors of one record's chain, encoded once
 * when the chain is done with it. Not thread-safe (one record is processed by one thread).
 */
public interface DecodedValue {

    /** The format this value was decoded from (a codec reading several formats says which). */
    String format();

    /** The schema id of a value framed for a schema registry, or -1. */
    default int schemaId() {
        return -1;
    }

    /**
     * Applies the edits; returns how many fields the replacing edits selected.
     *
     * @throws ValueFormatException when a replacement does not fit the value's schema (naming field and type)
     */
    int apply(FieldEdits edits);

    /** The value's bytes in its format (framing included). */
    byte[] encode();
}

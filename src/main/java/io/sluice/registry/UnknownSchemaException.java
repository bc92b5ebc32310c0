package io.sluice.registry;

import io.sluice.spi.ValueFormatException;

/** A framed value whose schema id the registry does not know: the record is rejected ({@code UNKNOWN_SCHEMA}). */
public final class UnknownSchemaException extends ValueFormatException {

    private final int schemaId;

    public UnknownSchemaException(final int schemaId) {
        super("unknown schema id " + schemaId + ": the schema registry has no schema with this id");
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}

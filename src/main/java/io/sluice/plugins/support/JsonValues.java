package io.sluice.plugins.support;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueFormatException;

/** Reading a record's JSON value in plugins that look inside values. */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * The record's value as the chain's shared JSON tree, or {@code null} for a tombstone: a delete marker has
     * no fields to mask or encrypt, and rejecting it would break compaction.
     *
     * @throws ValueFormatException when the value is present but not JSON
     */
    public static JsonNode treeOrNull(final SendRecord record) {
        try {
            return record.jsonValue();
        } catch (final ValueFormatException e) {
            // Asked after the fact: value() would serialize a tree changed earlier in the chain for nothing.
            if (record.value() == null) {
                return null;
            }
            throw e;
        }
    }
}

package io.sluice.plugins.support;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.FieldEdits;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueFormatException;
import io.sluice.spi.ValueView;
import io.sluice.value.JsonCodec;

/** Reading a record's value in plugins that look inside values. */
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

    /**
     * {@link ValueView#apply} for plugins that protect data: a value that is not JSON fails with {@link #WITHHELD}
     * alone. Exception messages end up in logs and acknowledgement events, and a parser's message may quote the
     * token it choked on, which may be the very value to hide.
     */
    public static int protectedApply(final ValueView value, final FieldEdits edits) {
        try {
            return value.apply(edits);
        } catch (final JsonCodec.NotJsonException e) {
            throw new ValueFormatException(WITHHELD);
        }
    }

    /** The message of a {@link ValueFormatException} from {@link #protectedApply}. */
    public static final String WITHHELD = "the value is not JSON (the parser's message is withheld: it may quote the value)";
}

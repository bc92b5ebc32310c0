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
     * {@link #treeOrNull} for plugins that protect data: the parser's message quotes the token it choked on,
     * which may be the very value to hide, and exception messages end up in logs and acknowledgement events.
     *
     * @throws ValueFormatException without the parser's message, when the value is present but not JSON
     */
    public static JsonNode protectedTreeOrNull(final SendRecord record) {
        try {
            return treeOrNull(record);
        } catch (final ValueFormatException e) {
            throw new ValueFormatException(WITHHELD);
        }
    }

    /**
     * {@link ValueView#apply} for plugins that protect data: a value that is not JSON fails with {@link #WITHHELD},
     * as {@link #protectedTreeOrNull} does.
     */
    public static int protectedApply(final ValueView value, final FieldEdits edits) {
        try {
            return value.apply(edits);
        } catch (final JsonCodec.NotJsonException e) {
            throw new ValueFormatException(WITHHELD);
        }
    }

    /** The message of a {@link ValueFormatException} from {@link #protectedTreeOrNull}. */
    public static final String WITHHELD = "the value is not JSON (the parser's message is withheld: it may quote the value)";
}

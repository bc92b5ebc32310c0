package io.sluice.spi;

/**
 * A record's value read through a {@link ValueCodec}: fields by path and the value's format, whatever the
 * encoding. Every interceptor of a chain shares one decoded value per record, encoded once after the chain (or
 * when someone reads the bytes); where the codec can, and the chain only reads and replaces fields, the value is
 * not decoded into a tree at all but edited in one pass over its bytes.
 *
 * <p>Get one with {@link SendRecord#valueView()} (the default codec) or {@link SendRecord#valueView(ValueCodec)}.
 * Replacing the whole value ({@link SendRecord#value(byte[])}, e.g. whole-value encryption) replaces its framing
 * too: the bytes are the value.
 */
public interface ValueView {

    /** The codec this view reads through. */
    ValueCodec codec();

    /** Whether the value is absent (a tombstone: a delete marker has no fields, and compaction needs it). */
    boolean isTombstone();

    /**
     * The format the value is in, e.g. {@code json}, {@code confluent-avro} (a codec that reads several formats,
     * like {@code auto}, says which).
     *
     * @throws ValueFormatException when the value does not decode through the codec (or is a tombstone)
     */
    String format();

    /**
     * The schema id of a value framed for a schema registry, or -1.
     *
     * @throws ValueFormatException when the value does not decode through the codec (or is a tombstone)
     */
    int schemaId();

    /**
     * Checks that the value decodes through the codec, without building anything a later edit would not reuse.
     *
     * @throws ValueFormatException saying why not; its message never quotes the value
     */
    void check();

    /** {@link #check()} as a test. A tombstone does not decode. */
    default boolean decodes() {
        try {
            check();
            return true;
        } catch (final ValueFormatException e) {
            return false;
        }
    }

    /**
     * Applies the edits to the fields their paths select; a path that leads nowhere selects nothing. The value is
     * rewritten (once, after the chain) only when a replacing edit selected something.
     *
     * @return how many fields the replacing edits selected (read-only edits are not counted)
     * @throws ValueFormatException when the value does not decode (or is a tombstone)
     */
    int apply(FieldEdits edits);

    /** One replacing edit; prefer {@link #apply} with edits built once. */
    default int replace(final FieldPath path, final FieldEditor editor) {
        return apply(FieldEdits.of(path, FieldEdits.Mode.REPLACE, editor));
    }

    /** Reads every field the path selects; returns how many it selected. */
    default int read(final FieldPath path, final FieldEditor reader) {
        final int[] count = new int[1];
        apply(FieldEdits.of(path, FieldEdits.Mode.READ, field -> {
            count[0]++;
            reader.edit(field);
        }));
        return count[0];
    }
}

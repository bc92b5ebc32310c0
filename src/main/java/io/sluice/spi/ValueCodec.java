package io.sluice.spi;

/**
 * One value format behind {@link ValueView}: decodes a record value into something fields can be read and replaced
 * in, and encodes it back. Codecs are shared by every record of every thread: keep them stateless (or their state
 * thread-safe). Plugins do not depend on a codec's class: they take one from {@link ValueCodecs} by the binding's
 * {@code valueFormat}, so a new format is a new codec, not a change to the plugins.
 *
 * <p>Messages of the {@link ValueFormatException}s a codec throws end up in logs, rejected records and
 * acknowledgement events: they must never quote the value.
 */
public interface ValueCodec {

    /** The format name bindings use: {@code json}, {@code avro}, {@code confluent-avro}, {@code confluent-json}. */
    String format();

    /**
     * Decodes a whole value.
     *
     * @param value never null (tombstones never reach a codec)
     * @throws ValueFormatException when the value is not in this format
     */
    DecodedValue decode(byte[] value);

    /**
     * Checks that a value decodes; a codec that can check without building the decoded value overrides this.
     *
     * @throws ValueFormatException when the value is not in this format
     */
    default void check(final byte[] value) {
        decode(value);
    }

    /**
     * The format of one value, for a codec that reads several ({@code auto}); checks that it decodes.
     *
     * @throws ValueFormatException when the value is not in a format of this codec
     */
    default String formatOf(final byte[] value) {
        check(value);
        return format();
    }

    /**
     * The schema id of one value framed for a schema registry, or -1; checks that it decodes.
     *
     * @throws ValueFormatException when the value is not in a format of this codec
     */
    default int schemaIdOf(final byte[] value) {
        check(value);
        return -1;
    }

    /** The codec that does the work: this one, or for a handle by name ({@link ValueCodecs#named}), the installed one. */
    default ValueCodec resolved() {
        return this;
    }

    /**
     * Applies field edits in one pass over the encoded bytes, without decoding the whole value — or returns
     * {@code null} when this codec has no such pass (or this value needs the full decode): the view then uses
     * {@link #decode}. A pass must give exactly the bytes that {@code decode}, {@link DecodedValue#apply} and
     * {@link DecodedValue#encode} give.
     *
     * @throws ValueFormatException when the value is not in this format
     */
    default Streamed stream(final byte[] value, final FieldEdits edits) {
        return null;
    }

    /**
     * What a streaming pass gave.
     *
     * @param value    the edited value; the given array itself when no replacing edit selected anything
     * @param selected how many fields the replacing edits selected
     */
    record Streamed(byte[] value, int selected) {
    }
}

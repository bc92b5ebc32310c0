package io.sluice.registry;

import io.sluice.spi.DecodedValue;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;
import io.sluice.value.JsonCodec;

/**
 * {@code auto} with a schema registry (SPEC section 8): a value whose first byte is {@code 0} is read through the
 * registry, by the schema type it reports for the value's id ({@code AVRO}, {@code JSON}; {@code PROTOBUF} is
 * refused until it is supported); any other value is JSON. JSON never starts with a zero byte, so the two do not
 * overlap.
 */
final class AutoCodec implements ValueCodec {

    static final String FORMAT = "auto";

    private final SchemaRegistryClient registry;
    private final ConfluentAvro avro;
    private final ConfluentJson json;

    AutoCodec(final SchemaRegistryClient registry, final ConfluentAvro avro, final ConfluentJson json) {
        this.registry = registry;
        this.avro = avro;
        this.json = json;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public DecodedValue decode(final byte[] value) {
        return codecOf(value).decode(value);
    }

    @Override
    public void check(final byte[] value) {
        codecOf(value).check(value);
    }

    @Override
    public String formatOf(final byte[] value) {
        return codecOf(value).formatOf(value);
    }

    @Override
    public int schemaIdOf(final byte[] value) {
        return codecOf(value).schemaIdOf(value);
    }

    @Override
    public Streamed stream(final byte[] value, final FieldEdits edits) {
        return WireFormat.looksFramed(value) ? null : JsonCodec.INSTANCE.stream(value, edits);
    }

    private ValueCodec codecOf(final byte[] value) {
        if (!WireFormat.looksFramed(value)) {
            return JsonCodec.INSTANCE;
        }
        final int id = WireFormat.schemaId(value);
        final SchemaType type = Schemas.fetch(registry, id).type();
        return switch (type) {
            case AVRO -> avro;
            case JSON -> json;
            case PROTOBUF -> throw new ValueFormatException("schema id " + id + " is a PROTOBUF schema"
                + Schemas.PROTOBUF_NOT_YET);
        };
    }
}

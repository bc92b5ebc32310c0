package io.sluice.plugins.fieldmasking;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/**
 * Masks the configured fields of JSON values, or of Avro values when the binding names a schema. A value it
 * cannot read throws {@link io.sluice.spi.ValueFormatException}: with the default {@code onError: reject} the
 * record is rejected rather than passed unmasked.
 */
final class FieldMaskingInterceptor implements Interceptor {

    private final FieldMask[] masks;
    private final AvroMasking avro;

    FieldMaskingInterceptor(final MaskingConfig config) {
        this.masks = config.fields().toArray(FieldMask[]::new);
        this.avro = config.avroSchema() == null ? null : new AvroMasking(config.avroSchema(), config.fields());
    }

    @Override
    public void onSend(final SendRecord record) {
        if (avro != null) {
            final byte[] value = record.value();
            if (value != null) {
                record.value(avro.mask(value));
            }
            return;
        }
        final JsonNode tree = JsonValues.protectedTreeOrNull(record);
        if (tree == null) {
            return;
        }
        int masked = 0;
        for (final FieldMask mask : masks) {
            masked += mask.path().apply(tree, mask);
        }
        if (masked > 0) {
            record.jsonValue(tree);
        }
    }
}

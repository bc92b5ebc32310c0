package io.sluice.plugins.fieldmasking;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueView;

/**
 * Masks the configured fields through the record's value view: JSON values, or Avro values when the binding names a
 * schema. A value it cannot read throws {@link io.sluice.spi.ValueFormatException}: with the default
 * {@code onError: reject} the record is rejected rather than passed unmasked.
 */
final class FieldMaskingInterceptor implements Interceptor {

    private final ValueCodec codec;
    /** Every configured field, masked in one pass over the value. */
    private final FieldEdits edits;

    FieldMaskingInterceptor(final MaskingConfig config) {
        this.codec = config.codec();
        final FieldEdits.Builder edits = FieldEdits.builder();
        for (final FieldMask mask : config.fields()) {
            edits.replaceLeaves(mask.path(), mask);
        }
        this.edits = edits.build();
    }

    @Override
    public void onSend(final SendRecord record) {
        final ValueView value = record.valueView(codec);
        if (!value.isTombstone()) {
            JsonValues.protectedApply(value, edits);
        }
    }
}

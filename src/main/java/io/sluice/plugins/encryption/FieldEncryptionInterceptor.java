package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Header;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.FieldEditor;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueView;

/**
 * Encrypts the configured fields (through the record's value view), or the whole value, and records the key id in {@code sluice-key-id}.
 * Whatever goes wrong is thrown, never swallowed: the binding's {@code onError} (default reject) then keeps the
 * plaintext from reaching egress.
 */
final class FieldEncryptionInterceptor implements Interceptor {

    private final ValueCodec codec;
    private final AesKey key;
    /** One encrypting editor per path (the associated data names the path, so it is bound here once); null for the whole value. */
    private final FieldEdits edits;
    private final byte[] wholeValueData;

    FieldEncryptionInterceptor(final CryptoConfig config) {
        this.key = config.key();
        this.codec = config.codec();
        final FieldEdits.Builder edits = FieldEdits.builder();
        config.fields().forEach(path -> edits.replace(path, encryptor(path)));
        this.edits = config.fields().isEmpty() ? null : edits.build();
        this.wholeValueData = CiphertextFormat.associatedData(key.id(), "");
    }

    /**
     * A field's plaintext is its encoded form (JSON: its JSON text, so that decryption gives back a number as a
     * number); the ciphertext is a string, which a format with a schema accepts only in a string or bytes field.
     */
    private FieldEditor encryptor(final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.associatedData(key.id(), path.toString());
        return field -> field.setString(new String(
            CiphertextFormat.encrypt(key, associatedData, field.encoded()), StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header existing = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (existing != null && !Arrays.equals(existing.value(), key.idBytes())) {
            // Encrypting again would replace the header and lose the key id the record's other ciphertexts need.
            record.reject("the record is already encrypted under key id '" + KeyIds.printable(existing.value())
                + "'; encrypting it again under '" + key.id() + "' would lose that key id");
            return;
        }
        final boolean encrypted = edits == null ? encryptValue(record) : encryptFields(record);
        if (encrypted && existing == null) {
            record.headers().add(CiphertextFormat.KEY_ID_HEADER, key.idBytes());
        }
    }

    private boolean encryptValue(final SendRecord record) {
        final byte[] value = record.value();
        if (value == null) {
            return false;
        }
        record.value(CiphertextFormat.encrypt(key, wholeValueData, value));
        return true;
    }

    private boolean encryptFields(final SendRecord record) {
        final ValueView value = record.valueView(codec);
        return !value.isTombstone() && JsonValues.protectedApply(value, edits) > 0;
    }
}

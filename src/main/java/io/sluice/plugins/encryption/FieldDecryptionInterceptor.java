package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Header;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.FieldEditor;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.FieldType;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;
import io.sluice.spi.ValueView;

/**
 * Decrypts what {@link FieldEncryptionInterceptor} encrypted with the same config. A record without the
 * {@code sluice-key-id} header was not encrypted and passes unchanged; a record encrypted under another key id,
 * or whose ciphertext does not open, is rejected with the reason. After decryption the header is removed: the
 * record is no longer encrypted.
 */
final class FieldDecryptionInterceptor implements Interceptor {

    private final ValueCodec codec;
    private final AesKey key;
    /** One decrypting editor per path; null for the whole value. */
    private final FieldEdits edits;
    private final byte[] wholeValueData;

    FieldDecryptionInterceptor(final CryptoConfig config) {
        this.key = config.key();
        this.codec = config.codec();
        final FieldEdits.Builder edits = FieldEdits.builder();
        config.fields().forEach(path -> edits.replace(path, decryptor(path)));
        this.edits = config.fields().isEmpty() ? null : edits.build();
        this.wholeValueData = CiphertextFormat.associatedData(key.id(), "");
    }

    private FieldEditor decryptor(final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.associatedData(key.id(), path.toString());
        return field -> {
            final FieldType type = field.type();
            if (type != FieldType.STRING && type != FieldType.BYTES) {
                throw new CiphertextException("field '" + path + "' is not a Sluice ciphertext (a " + field.typeName()
                    + ", not a string)");
            }
            final byte[] plaintext;
            try {
                plaintext = CiphertextFormat.decrypt(key, associatedData, field.text().getBytes(StandardCharsets.ISO_8859_1));
            } catch (final CiphertextException e) {
                throw new CiphertextException("field '" + path + "' " + e.getMessage());
            }
            try {
                field.setEncoded(plaintext);
            } catch (final ValueFormatException e) {
                // Authenticated, so written by a Sluice with this key: not a field value means it was not written as one.
                throw new CiphertextException("field '" + path + "' does not hold a JSON value (was it encrypted as a whole value?)");
            }
        };
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header keyId = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (keyId == null) {
            return;
        }
        if (!Arrays.equals(keyId.value(), key.idBytes())) {
            record.reject("the record is encrypted under key id '" + KeyIds.printable(keyId.value())
                + "', but this interceptor holds key id '" + key.id() + "'");
            return;
        }
        try {
            if (edits == null) {
                decryptValue(record);
            } else {
                decryptFields(record);
            }
        } catch (final CiphertextException e) {
            record.reject(e.getMessage());
            return;
        }
        record.headers().remove(CiphertextFormat.KEY_ID_HEADER);
    }

    private void decryptValue(final SendRecord record) {
        final byte[] value = record.value();
        if (value != null) {
            try {
                record.value(CiphertextFormat.decrypt(key, wholeValueData, value));
            } catch (final CiphertextException e) {
                throw new CiphertextException("the value " + e.getMessage());
            }
        }
    }

    private void decryptFields(final SendRecord record) {
        final ValueView value = record.valueView(codec);
        if (!value.isTombstone()) {
            JsonValues.protectedApply(value, edits);
        }
    }
}

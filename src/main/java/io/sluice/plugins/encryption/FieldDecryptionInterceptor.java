package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.header.Header;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.DataKeys;
import io.sluice.spi.Field;
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
 * record is no longer encrypted. With a keyring, each ciphertext names its data key; a key the key topic no longer
 * holds (shredded) rejects the record naming the key, or, with {@code onMissingKey: passEncrypted}, lets it pass
 * still encrypted.
 */
final class FieldDecryptionInterceptor implements Interceptor {

    /** Bounds the edits kept per data key; when full the cache starts over. */
    private static final int MAX_KEYS = 4_096;

    private final ValueCodec codec;
    private final AesKey key;
    private final String keyring;
    private final DataKeys dataKeys;
    private final CryptoConfig.OnMissingKey onMissingKey;
    private final List<FieldPath> paths;
    /** One decrypting editor per path; null for the whole value or with a keyring. */
    private final FieldEdits edits;
    private final byte[] wholeValueData;
    /** With a keyring: the edits per data key. */
    private final Map<String, FieldEdits> editsByKey = new ConcurrentHashMap<>();

    FieldDecryptionInterceptor(final CryptoConfig config, final DataKeys dataKeys) {
        this.key = config.key();
        this.codec = config.codec();
        this.keyring = config.keyring();
        this.dataKeys = dataKeys;
        this.onMissingKey = config.onMissingKey();
        this.paths = config.fields();
        if (key != null && !paths.isEmpty()) {
            final FieldEdits.Builder edits = FieldEdits.builder();
            paths.forEach(path -> edits.replace(path, decryptor(path)));
            this.edits = edits.build();
        } else {
            this.edits = null;
        }
        this.wholeValueData = key == null ? null : CiphertextFormat.associatedData(key.id(), "");
    }

    private FieldEditor decryptor(final DataKeys.DataKey dataKey, final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.keyringAssociatedData(dataKey.id(), path.toString());
        return field -> {
            requireString(field, path);
            final byte[] plaintext;
            try {
                plaintext = CiphertextFormat.decrypt(dataKey, associatedData, field.text().getBytes(StandardCharsets.ISO_8859_1));
            } catch (final CiphertextException e) {
                throw new CiphertextException("field '" + path + "' " + e.getMessage());
            }
            setPlaintext(field, path, plaintext);
        };
    }

    private static void requireString(final Field field, final FieldPath path) {
        final FieldType type = field.type();
        if (type != FieldType.STRING && type != FieldType.BYTES) {
            throw new CiphertextException("field '" + path + "' is not a Sluice ciphertext (a " + field.typeName()
                + ", not a string)");
        }
    }

    private static void setPlaintext(final Field field, final FieldPath path, final byte[] plaintext) {
        try {
            field.setEncoded(plaintext);
        } catch (final ValueFormatException e) {
            // Authenticated, so written by a Sluice with this key: not a field value means it was not written as one.
            throw new CiphertextException("field '" + path + "' does not hold a JSON value (was it encrypted as a whole value?)");
        }
    }

    private FieldEditor decryptor(final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.associatedData(key.id(), path.toString());
        return field -> {
            requireString(field, path);
            final byte[] plaintext;
            try {
                plaintext = CiphertextFormat.decrypt(key, associatedData, field.text().getBytes(StandardCharsets.ISO_8859_1));
            } catch (final CiphertextException e) {
                throw new CiphertextException("field '" + path + "' " + e.getMessage());
            }
            setPlaintext(field, path, plaintext);
        };
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header keyId = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (keyId == null) {
            return;
        }
        if (keyring != null) {
            onSendWithKeyring(record, KeyIds.printable(keyId.value()));
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

    private void onSendWithKeyring(final SendRecord record, final String dekId) {
        if (!dekId.startsWith(keyring + ":")) {
            record.reject("the record is encrypted under key id '" + dekId + "', which is not a data key of keyring '"
                + keyring + "'");
            return;
        }
        final Optional<DataKeys.DataKey> dataKey = dataKeys.forDecryption(dekId);
        if (dataKey.isEmpty()) {
            if (onMissingKey == CryptoConfig.OnMissingKey.REJECT) {
                record.reject("data key '" + dekId + "' of keyring '" + keyring + "' is not in the key topic "
                    + "(shredded, or never published): the record cannot be decrypted");
            }
            return; // passEncrypted: the record goes on as it is, header included
        }
        try {
            if (paths.isEmpty()) {
                decryptValue(record, dataKey.get());
            } else {
                if (editsByKey.size() >= MAX_KEYS) {
                    editsByKey.clear();
                }
                final FieldEdits keyEdits = editsByKey.computeIfAbsent(dekId, id -> {
                    final FieldEdits.Builder builder = FieldEdits.builder();
                    paths.forEach(path -> builder.replace(path, decryptor(dataKey.get(), path)));
                    return builder.build();
                });
                final ValueView value = record.valueView(codec);
                if (!value.isTombstone()) {
                    JsonValues.protectedApply(value, keyEdits);
                }
            }
        } catch (final CiphertextException e) {
            record.reject(e.getMessage());
            return;
        }
        record.headers().remove(CiphertextFormat.KEY_ID_HEADER);
    }

    private static void decryptValue(final SendRecord record, final DataKeys.DataKey dataKey) {
        final byte[] value = record.value();
        if (value == null) {
            return;
        }
        try {
            record.value(CiphertextFormat.decrypt(dataKey, CiphertextFormat.keyringAssociatedData(dataKey.id(), ""), value));
        } catch (final CiphertextException e) {
            throw new CiphertextException("the value " + e.getMessage());
        }
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

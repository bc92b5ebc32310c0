package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.kafka.common.header.Header;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.DataKeys;
import io.sluice.spi.FieldEditor;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueView;

/**
 * Encrypts the configured fields (through the record's value view), or the whole value, and records the key id in
 * {@code sluice-key-id}: the binding's {@code keyId}, or the id of the keyring's data key the record was encrypted
 * with (its scope value's current version, which every ciphertext names too). Whatever goes wrong is thrown, never
 * swallowed: the binding's {@code onError} (default reject) then keeps the plaintext from reaching egress.
 */
final class FieldEncryptionInterceptor implements Interceptor {

    /** Bounds the edits kept per data key (one per scope value in use); when full the cache starts over. */
    private static final int MAX_KEYS = 4_096;

    private final ValueCodec codec;
    private final AesKey key;
    private final String keyring;
    private final DataKeys dataKeys;
    private final List<FieldPath> paths;
    /** With the binding's own key: one encrypting editor per path, bound once; null for the whole value. */
    private final FieldEdits edits;
    private final byte[] wholeValueData;
    /** With a keyring: the same, per data key. */
    private final Map<String, FieldEdits> editsByKey = new ConcurrentHashMap<>();

    FieldEncryptionInterceptor(final CryptoConfig config, final DataKeys dataKeys) {
        this.key = config.key();
        this.codec = config.codec();
        this.keyring = config.keyring();
        this.dataKeys = dataKeys;
        this.paths = config.fields();
        this.edits = key == null || paths.isEmpty() ? null : edits(path -> encryptor(path));
        this.wholeValueData = key == null ? null : CiphertextFormat.associatedData(key.id(), "");
    }

    private FieldEdits edits(final Function<FieldPath, FieldEditor> editor) {
        final FieldEdits.Builder builder = FieldEdits.builder();
        paths.forEach(path -> builder.replace(path, editor.apply(path)));
        return builder.build();
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

    private FieldEditor encryptor(final DataKeys.DataKey dataKey, final FieldPath path) {
        final byte[] associatedData = CiphertextFormat.keyringAssociatedData(dataKey.id(), path.toString());
        return field -> field.setString(new String(
            CiphertextFormat.encrypt(dataKey, associatedData, field.encoded()), StandardCharsets.ISO_8859_1));
    }

    @Override
    public void onSend(final SendRecord record) {
        final Header existing = record.headers().lastHeader(CiphertextFormat.KEY_ID_HEADER);
        if (keyring != null) {
            onSendWithKeyring(record, existing);
            return;
        }
        if (existing != null && !Arrays.equals(existing.value(), key.idBytes())) {
            // Encrypting again would replace the header and lose the key id the record's other ciphertexts need.
            record.reject("the record is already encrypted under key id '" + KeyIds.printable(existing.value())
                + "'; encrypting it again under '" + key.id() + "' would lose that key id");
            return;
        }
        final boolean encrypted = edits == null ? encryptValue(record) : encryptFields(record, edits);
        if (encrypted && existing == null) {
            record.headers().add(CiphertextFormat.KEY_ID_HEADER, key.idBytes());
        }
    }

    private void onSendWithKeyring(final SendRecord record, final Header existing) {
        if (existing != null) {
            record.reject("the record is already encrypted under key id '" + KeyIds.printable(existing.value())
                + "'; encrypting it again with keyring '" + keyring + "' would lose that key id");
            return;
        }
        if (record.value() == null) {
            return; // a tombstone: nothing to encrypt, and no key is made for it
        }
        final DataKeys.DataKey dataKey = dataKeys.forEncryption(keyring, record.context());
        final boolean encrypted;
        if (paths.isEmpty()) {
            record.value(CiphertextFormat.encrypt(dataKey, CiphertextFormat.keyringAssociatedData(dataKey.id(), ""),
                record.value()));
            encrypted = true;
        } else {
            if (editsByKey.size() >= MAX_KEYS) {
                editsByKey.clear();
            }
            encrypted = encryptFields(record, editsByKey.computeIfAbsent(dataKey.id(),
                id -> edits(path -> encryptor(dataKey, path))));
        }
        if (encrypted) {
            record.headers().add(CiphertextFormat.KEY_ID_HEADER, dataKey.id().getBytes(StandardCharsets.US_ASCII));
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

    private boolean encryptFields(final SendRecord record, final FieldEdits edits) {
        final ValueView value = record.valueView(codec);
        return !value.isTombstone() && JsonValues.protectedApply(value, edits) > 0;
    }
}

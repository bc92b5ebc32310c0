package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;

/**
 * The config of {@code field-encryption} and {@code field-decryption}: the two must agree on it. The key is either
 * the binding's own ({@code keyId} with {@code keyFile} / {@code keyEnv}) or a keyring's ({@code keyring}): data
 * keys that Sluice makes, wraps and stores in the key topic, one per scope value and version.
 *
 * @param fields       the field paths to encrypt; empty to encrypt the whole value
 * @param key          the binding's own key and its id, or {@code null} with a keyring
 * @param keyring      the keyring, or {@code null} with a key of the binding's own
 * @param onMissingKey what decryption does with a record whose data key is gone (shredded)
 * @param valueFormat  the codec of the binding's valueFormat, or {@code null} for the default
 */
record CryptoConfig(List<FieldPath> fields, AesKey key, String keyring, OnMissingKey onMissingKey,
                    ValueCodec valueFormat) {

    /** The codec fields are read through: the configured format, or the default ({@code auto}). */
    ValueCodec codec() {
        return valueFormat != null ? valueFormat : ValueCodecs.auto();
    }

    private static final Pattern KEYRING = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Decryption of a record whose data key the key topic no longer holds. */
    enum OnMissingKey {
        /** Fail closed: the record is rejected with a reason naming the key. */
        REJECT("reject"),
        /** The record passes with its fields still encrypted. */
        PASS_ENCRYPTED("passEncrypted");

        final String label;

        OnMissingKey(final String label) {
            this.label = label;
        }
    }

    static CryptoConfig read(final ConfigReader config, final Function<String, String> environment,
                             final boolean decrypting) {
        final JsonNode given = config.node("fields");
        if (given != null && given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field path; leave it out to encrypt the whole value");
        }
        final List<FieldPath> fields = config.stringList("fields", FieldPath::parse);
        final String keyring = config.string("keyring", null);
        AesKey key = null;
        if (keyring == null) {
            key = AesKey.read(config, environment);
        } else {
            if (!KEYRING.matcher(keyring).matches()) {
                config.problem("keyring", "a keyring name is 1 to 64 of the characters A-Z a-z 0-9 . _ -");
            }
            for (final String own : List.of("keyId", "keyFile", "keyEnv")) {
                if (config.has(own)) {
                    config.problem(own, "a keyring's data keys are Sluice's; leave out " + own + " with keyring");
                }
            }
        }
        final OnMissingKey onMissingKey = onMissingKey(config, decrypting, keyring != null);
        final ValueCodec format = ValueFormats.read(config, null);
        config.rejectUnknownFields();
        return new CryptoConfig(fields, key, keyring, onMissingKey, format);
    }

    private static OnMissingKey onMissingKey(final ConfigReader config, final boolean decrypting, final boolean keyring) {
        final String text = config.string("onMissingKey", null);
        if (text == null) {
            return OnMissingKey.REJECT;
        }
        if (!decrypting || !keyring) {
            config.problem("onMissingKey", "is for field-decryption with a keyring");
            return OnMissingKey.REJECT;
        }
        for (final OnMissingKey value : OnMissingKey.values()) {
            if (value.label.equals(text)) {
                return value;
            }
        }
        config.problem("onMissingKey", "must be reject or passEncrypted, not '" + text + "'");
        return OnMissingKey.REJECT;
    }
}

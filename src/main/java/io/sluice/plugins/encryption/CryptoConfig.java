package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.Secret;
import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.ConfigDoc;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;

/**
 * The config of {@code field-encryption} and {@code field-decryption}: the two must agree on it. The key is either
 * the binding's own ({@code keyId} with {@code keyFile} / {@code keyEnv}) or a keyring's ({@code keyring}): data
 * keys that Sluice makes, wraps and stores in the key topic, one per scope value and version. Parsing reads the
 * shape only (the keyring's name and onMissingKey too); the instance reads a key of the binding's own when it creates
 * the interceptor ({@link #withKey}).
 *
 * @param fields       the JSON field paths; empty for the whole value
 * @param keyId        the key's id, or {@code null} with a keyring
 * @param keyFile      the file holding the key on each instance, or {@code null}
 * @param keyEnv       the environment variable holding the key on each instance, or {@code null}
 * @param keyring      the keyring, or {@code null} with a key of the binding's own
 * @param onMissingKey what decryption does with a record whose data key is gone (shredded)
 * @param valueFormat  the codec of the binding's valueFormat, or {@code null} for the default
 * @param key          the binding's own key, read by the instance that creates the interceptor ({@link #withKey});
 *                     {@code null} before, and with a keyring
 */
record CryptoConfig(
    @ConfigDoc(type = "list<string>", value = "JSON field paths to encrypt (decryption: to decrypt), e.g. card.number,"
        + " items[*].sku; leave out for the whole value") List<FieldPath> fields,
    @ConfigDoc(value = "the key's id, [A-Za-z0-9._:-]{1,128}; written to / checked against the sluice-key-id header;"
        + " required unless keyring is set") String keyId,
    @ConfigDoc(type = "path", value = "a file on each instance holding the key: base64 of 32 random bytes (one of"
        + " keyFile / keyEnv is required without keyring; read when the instance creates the interceptor)")
    String keyFile,
    @ConfigDoc(value = "an environment variable of each instance holding the key: base64 of 32 random bytes; the key"
        + " itself is never written in a binding") String keyEnv,
    @ConfigDoc(value = "a keyring of the topology, [A-Za-z0-9._-]{1,64}: per-scope data keys from the key topic,"
        + " instead of keyId / keyFile / keyEnv") String keyring,
    @ConfigDoc(type = "reject | passEncrypted", defaultValue = "reject", value = "field-decryption with keyring: a"
        + " record whose data key was shredded is rejected, or passes with its fields still encrypted")
    OnMissingKey onMissingKey,
    @ConfigDoc(name = ValueFormats.FIELD, type = ValueFormats.TYPE, defaultValue = ValueFormats.DEFAULT,
        value = ValueFormats.DESCRIPTION) ValueCodec valueFormat,
    AesKey key) {

    private static final Pattern KEYRING = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The codec fields are read through: the configured format, or the default ({@code auto}). */
    ValueCodec codec() {
        return valueFormat != null ? valueFormat : ValueCodecs.auto();
    }

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

    /** The config's shape; a key of the binding's own is not read here (see {@link #withKey}). */
    static CryptoConfig read(final ConfigReader config, final boolean decrypting) {
        final JsonNode given = config.node("fields");
        if (given != null && given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field path; leave it out to encrypt the whole value");
        }
        final List<FieldPath> fields = config.stringList("fields", FieldPath::parse);
        final String keyring = config.string("keyring", null);
        String keyId = null;
        Secret.Source source = null;
        if (keyring == null) {
            keyId = AesKey.readId(config);
            source = Secret.source(config, "keyFile", "keyEnv", "key", true);
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
        return new CryptoConfig(fields, keyId, source == null ? null : source.file(),
            source == null ? null : source.variable(), keyring, onMissingKey, format, null);
    }

    /**
     * This config with its key, read now from the instance's file or environment; a keyring's config as it is (the
     * instance's keyrings hold its data keys).
     *
     * @throws IllegalArgumentException {@code keyFile: why} (never the key)
     */
    CryptoConfig withKey(final Function<String, String> environment) {
        if (keyring != null) {
            return this;
        }
        final Secret.Source source = new Secret.Source(keyFile != null ? "keyFile" : "keyEnv", keyFile, keyEnv);
        return new CryptoConfig(fields, keyId, keyFile, keyEnv, keyring, onMissingKey, valueFormat,
            AesKey.load(keyId, source, environment));
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

package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.Secret;
import io.sluice.spi.ConfigDoc;
import io.sluice.spi.FieldPath;

/**
 * The config of {@code field-encryption} and {@code field-decryption}: the two must agree on it.
 *
 * @param fields  the JSON field paths; empty for the whole value
 * @param keyId   the key's id
 * @param keyFile the file holding the key on each instance, or {@code null}
 * @param keyEnv  the environment variable holding the key on each instance, or {@code null}
 * @param key     the key, read by the instance that creates the interceptor ({@link #withKey}); {@code null} before
 */
record CryptoConfig(
    @ConfigDoc(type = "list<string>", value = "JSON field paths to encrypt (decryption: to decrypt), e.g. card.number,"
        + " items[*].sku; leave out for the whole value") List<FieldPath> fields,
    @ConfigDoc(required = true, value = "the key's id, [A-Za-z0-9._:-]{1,128}; written to / checked against the"
        + " sluice-key-id header") String keyId,
    @ConfigDoc(type = "path", value = "a file on each instance holding the key: base64 of 32 random bytes (one of"
        + " keyFile / keyEnv is required; read when the instance creates the interceptor)") String keyFile,
    @ConfigDoc(value = "an environment variable of each instance holding the key: base64 of 32 random bytes; the key"
        + " itself is never written in a binding") String keyEnv,
    AesKey key) {

    /** The config's shape; the key is not read here (see {@link #withKey}). */
    static CryptoConfig read(final ConfigReader config) {
        final JsonNode given = config.node("fields");
        if (given != null && given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field path; leave it out to encrypt the whole value");
        }
        final List<FieldPath> fields = config.stringList("fields", FieldPath::parse);
        final String keyId = AesKey.readId(config);
        final Secret.Source source = Secret.source(config, "keyFile", "keyEnv", "key", true);
        config.rejectUnknownFields();
        return new CryptoConfig(fields, keyId, source == null ? null : source.file(),
            source == null ? null : source.variable(), null);
    }

    /**
     * This config with its key, read now from the instance's file or environment.
     *
     * @throws IllegalArgumentException {@code keyFile: why} (never the key)
     */
    CryptoConfig withKey(final Function<String, String> environment) {
        final Secret.Source source = new Secret.Source(keyFile != null ? "keyFile" : "keyEnv", keyFile, keyEnv);
        return new CryptoConfig(fields, keyId, keyFile, keyEnv, AesKey.load(keyId, source, environment));
    }
}

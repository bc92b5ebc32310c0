package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.FieldPath;

/**
 * The config of {@code field-encryption} and {@code field-decryption}: the two must agree on it.
 *
 * @param fields the JSON field paths to encrypt; empty to encrypt the whole value
 * @param key    the key and its id
 */
record CryptoConfig(List<FieldPath> fields, AesKey key) {

    static CryptoConfig read(final ConfigReader config, final Function<String, String> environment) {
        final JsonNode given = config.node("fields");
        if (given != null && given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field path; leave it out to encrypt the whole value");
        }
        final List<FieldPath> fields = config.stringList("fields", FieldPath::parse);
        final AesKey key = AesKey.read(config, environment);
        config.rejectUnknownFields();
        return new CryptoConfig(fields, key);
    }
}

package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;

/**
 * The config of {@code field-encryption} and {@code field-decryption}: the two must agree on it.
 *
 * @param fields the JSON field paths to encrypt; empty to encrypt the whole value
 * @param key    the key and its id
 */
record CryptoConfig(List<FieldPath> fields, AesKey key, ValueCodec valueFormat) {

    /** The codec fields are read through: the configured format, or the default ({@code auto}). */
    ValueCodec codec() {
        return valueFormat != null ? valueFormat : ValueCodecs.auto();
    }

    static CryptoConfig read(final ConfigReader config, final Function<String, String> environment) {
        final JsonNode given = config.node("fields");
        if (given != null && given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field path; leave it out to encrypt the whole value");
        }
        final List<FieldPath> fields = config.stringList("fields", FieldPath::parse);
        final AesKey key = AesKey.read(config, environment);
        final ValueCodec format = ValueFormats.read(config, null);
        config.rejectUnknownFields();
        return new CryptoConfig(fields, key, format);
    }
}

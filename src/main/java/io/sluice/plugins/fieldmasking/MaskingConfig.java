package io.sluice.plugins.fieldmasking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.InlineOrFile;
import io.sluice.plugins.support.Secret;
import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;
import io.sluice.value.AvroValueCodec;

/**
 * The {@code field-masking} config.
 *
 * @param fields     the fields and how each is masked
 * @param avroSchema the schema of Avro values, or {@code null} when values are JSON
 */
record MaskingConfig(List<FieldMask> fields, Schema avroSchema, ValueCodec valueFormat) {

    /** The codec values are read through: raw Avro of the schema, the configured format, or the default. */
    ValueCodec codec() {
        return avroSchema != null ? AvroValueCodec.of(avroSchema) : valueFormat != null ? valueFormat : ValueCodecs.auto();
    }

    static MaskingConfig read(final ConfigReader config, final Function<String, String> environment) {
        final int defaultChar = maskChar(config, "char", '*');
        final Salt salt = salt(config, environment);
        final JsonNode given = config.node("fields");
        if (given == null) {
            config.problem("fields", "is required: a list of {path, strategy, n, char}");
        } else if (given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field");
        }
        final List<FieldMask> fields = new ArrayList<>();
        final List<ConfigReader> readers = new ArrayList<>();
        for (final ConfigReader entry : config.objects("fields")) {
            final FieldMask mask = field(entry, defaultChar, salt);
            if (mask != null) {
                fields.add(mask);
                readers.add(entry);
            }
        }
        final boolean hashes = fields.stream().anyMatch(mask -> mask.strategy() == Strategy.HASH);
        if (hashes && salt == null && !config.has("saltFile") && !config.has("saltEnv")) {
            config.problem("saltFile", "is required (or saltEnv) when a field uses strategy HASH: an unsalted hash"
                + " of a card or phone number is undone by hashing every candidate");
        }
        final Schema schema = avroSchema(config);
        if (schema != null) {
            for (int i = 0; i < fields.size(); i++) {
                final String why = AvroValueCodec.checkStringPath(schema, fields.get(i).path());
                if (why != null) {
                    readers.get(i).problem("path", "'" + fields.get(i).path() + "' " + why);
                }
            }
        }
        final ValueCodec format = ValueFormats.read(config, config.has("avroSchema") || config.has("avroSchemaFile"));
        config.rejectUnknownFields();
        return new MaskingConfig(List.copyOf(fields), schema, format);
    }

    /** One entry of {@code fields}; {@code null} when its path or strategy is unusable. */
    private static FieldMask field(final ConfigReader entry, final int defaultChar, final Salt salt) {
        FieldPath path = null;
        final String text = entry.requiredString("path");
        if (text != null) {
            try {
                path = FieldPath.parse(text);
            } catch (final IllegalArgumentException e) {
                entry.problem("path", e.getMessage());
            }
        }
        final Strategy strategy = entry.choice("strategy", Strategy.class, null);
        if (strategy == null && !entry.has("strategy")) {
            entry.problem("strategy", "is required: one of ALL, FIRST_N, LAST_N, HASH");
        }
        final boolean counts = strategy == Strategy.FIRST_N || strategy == Strategy.LAST_N;
        final Long n = entry.integer("n", 0, Integer.MAX_VALUE, null);
        if (counts && n == null && !entry.has("n")) {
            entry.problem("n", "is required with strategy " + strategy + ": how many characters stay visible");
        } else if (!counts && strategy != null && entry.has("n")) {
            entry.problem("n", "has no meaning with strategy " + strategy + "; only FIRST_N and LAST_N keep characters visible");
        }
        final int maskChar = maskChar(entry, "char", defaultChar);
        if (strategy == Strategy.HASH && entry.has("char")) {
            entry.problem("char", "has no meaning with strategy HASH");
        }
        entry.rejectUnknownFields();
        return path == null || strategy == null ? null
            : new FieldMask(path, strategy, n == null ? 0 : n.intValue(), maskChar, strategy == Strategy.HASH ? salt : null);
    }

    private static int maskChar(final ConfigReader config, final String name, final int fallback) {
        final String text = config.string(name, null);
        if (text == null) {
            return fallback;
        }
        if (text.codePointCount(0, text.length()) != 1) {
            config.problem(name, "must be exactly one character, not '" + text + "'");
            return fallback;
        }
        return text.codePointAt(0);
    }

    /** The salt of HASH, when saltFile or saltEnv names a good one. */
    private static Salt salt(final ConfigReader config, final Function<String, String> environment) {
        final Secret secret = Secret.read(config, "saltFile", "saltEnv", "salt", false, environment);
        if (secret == null) {
            return null;
        }
        try {
            if (secret.bytes().length < Salt.MIN_BYTES) {
                config.problem(secret.field(), "the salt is " + secret.bytes().length + " bytes long; use at least " + Salt.MIN_BYTES);
                return null;
            }
            return new Salt(secret.bytes());
        } finally {
            secret.destroy();
        }
    }

    private static Schema avroSchema(final ConfigReader config) {
        final String text = InlineOrFile.read(config, "avroSchema", "avroSchemaFile", false);
        if (text == null) {
            return null;
        }
        final String field = config.has("avroSchema") ? "avroSchema" : "avroSchemaFile";
        try {
            return new Schema.Parser().parse(text);
        } catch (final SchemaParseException e) {
            config.problem(field, "is not a valid Avro schema: " + e.getMessage());
        } catch (final RuntimeException e) {
            config.problem(field, "is not a valid Avro schema: " + e.getClass().getSimpleName());
        }
        return null;
    }
}

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
import io.sluice.spi.ConfigDoc;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;
import io.sluice.value.AvroValueCodec;

/**
 * The {@code field-masking} config. As parsed from a binding, the masks of {@code HASH} have no salt yet and a schema
 * from {@code avroSchemaFile} is not read yet: {@link #withInstanceFiles} reads both on the instance.
 *
 * @param fields         the fields and how each is masked
 * @param maskChar       the default mask character, as written
 * @param saltFile       the file holding the salt of HASH on each instance, or {@code null}
 * @param saltEnv        the environment variable holding it, or {@code null}
 * @param avroSchema     the schema of Avro values, or {@code null} when values are JSON (or not read yet)
 * @param avroSchemaFile the file holding the schema on each instance, or {@code null}
 * @param valueFormat    the codec of the binding's valueFormat, or {@code null} for avro and for the default
 */
record MaskingConfig(
    @ConfigDoc(type = "list<{path, strategy, n, char}>", required = true, value = "the fields to mask: path"
        + " (card.number, items[*].sku); strategy ALL | FIRST_N | LAST_N | HASH; n = characters kept visible by FIRST_N"
        + " (the first n) and LAST_N (the last n); char overrides the mask character. A number or boolean is masked as"
        + " its text and becomes a string; an object or array has every value inside masked; null stays null")
    List<FieldMask> fields,
    @ConfigDoc(name = "char", type = "string (one character)", defaultValue = "*", value = "the mask character")
    String maskChar,
    @ConfigDoc(type = "path", value = "a file on each instance holding the salt of HASH (at least 16 bytes of text);"
        + " HASH = hex SHA-256(salt + value)") String saltFile,
    @ConfigDoc(value = "an environment variable of each instance holding the salt of HASH; one of saltFile / saltEnv is"
        + " required with HASH") String saltEnv,
    @ConfigDoc(type = "object | string", value = "an Avro schema: values are then one datum in Avro binary encoding (no"
        + " framing), and every path must lead to a string field of the schema") Schema avroSchema,
    @ConfigDoc(type = "path", value = "a file on each instance holding the Avro schema, instead of avroSchema")
    String avroSchemaFile,
    @ConfigDoc(name = ValueFormats.FIELD, type = ValueFormats.TYPE_WITH_AVRO, defaultValue = ValueFormats.DEFAULT,
        value = ValueFormats.DESCRIPTION_WITH_AVRO) ValueCodec valueFormat) {

    /** The codec values are read through: raw Avro of the schema, the configured format, or the default. */
    ValueCodec codec() {
        return avroSchema != null ? AvroValueCodec.of(avroSchema) : valueFormat != null ? valueFormat : ValueCodecs.auto();
    }

    /** The config's shape: no salt and no schema file is read here. */
    static MaskingConfig read(final ConfigReader config) {
        final int defaultChar = maskChar(config, "char", '*');
        final Secret.Source salt = Secret.source(config, "saltFile", "saltEnv", "salt", false);
        final JsonNode given = config.node("fields");
        if (given == null) {
            config.problem("fields", "is required: a list of {path, strategy, n, char}");
        } else if (given.isArray() && given.isEmpty()) {
            config.problem("fields", "must list at least one field");
        }
        final List<FieldMask> fields = new ArrayList<>();
        final List<ConfigReader> readers = new ArrayList<>();
        for (final ConfigReader entry : config.objects("fields")) {
            final FieldMask mask = field(entry, defaultChar);
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
        final InlineOrFile.Source schemaSource = InlineOrFile.read(config, "avroSchema", "avroSchemaFile", false);
        final Schema schema = schemaSource == null || schemaSource.inline() == null ? null
            : avroSchema(schemaSource.inline(), message -> config.problem("avroSchema", message));
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
        return new MaskingConfig(List.copyOf(fields), new String(Character.toChars(defaultChar)),
            salt == null ? null : salt.file(), salt == null ? null : salt.variable(), schema,
            schemaSource == null ? null : schemaSource.file(), format);
    }

    /**
     * This config with what lives on the instance: the salt of HASH, the schema of {@code avroSchemaFile}.
     *
     * @throws IllegalArgumentException {@code field: why} (never the salt)
     */
    MaskingConfig withInstanceFiles(final Function<String, String> environment) {
        final boolean hashes = fields.stream().anyMatch(mask -> mask.strategy() == Strategy.HASH);
        List<FieldMask> masks = fields;
        if (hashes) {
            final Salt salt = salt(new Secret.Source(saltFile != null ? "saltFile" : "saltEnv", saltFile, saltEnv)
                .load(environment));
            masks = fields.stream().map(mask -> mask.strategy() != Strategy.HASH ? mask
                : new FieldMask(mask.path(), mask.strategy(), mask.n(), mask.maskChar(), salt)).toList();
        }
        Schema schema = avroSchema;
        if (avroSchemaFile != null) {
            schema = avroSchema(new InlineOrFile.Source("avroSchemaFile", null, avroSchemaFile).load(), message -> {
                throw Secret.problem("avroSchemaFile", message);
            });
            for (final FieldMask mask : masks) {
                final String why = AvroValueCodec.checkStringPath(schema, mask.path());
                if (why != null) {
                    throw Secret.problem("avroSchemaFile", "the schema does not fit path '" + mask.path() + "': " + why);
                }
            }
        }
        return new MaskingConfig(masks, maskChar, saltFile, saltEnv, schema, avroSchemaFile, valueFormat);
    }

    /** One entry of {@code fields}; {@code null} when its path or strategy is unusable. */
    private static FieldMask field(final ConfigReader entry, final int defaultChar) {
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
            : new FieldMask(path, strategy, n == null ? 0 : n.intValue(), maskChar, null);
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

    /** The salt of HASH, from the instance's file or environment. */
    private static Salt salt(final Secret secret) {
        try {
            if (secret.bytes().length < Salt.MIN_BYTES) {
                throw Secret.problem(secret.field(), "the salt is " + secret.bytes().length + " bytes long; use at least "
                    + Salt.MIN_BYTES);
            }
            return new Salt(secret.bytes());
        } finally {
            secret.destroy();
        }
    }

    /** Parses a schema; {@code null} after reporting why it is not one. */
    private static Schema avroSchema(final String text, final java.util.function.Consumer<String> problem) {
        try {
            return new Schema.Parser().parse(text);
        } catch (final SchemaParseException e) {
            problem.accept("is not a valid Avro schema: " + e.getMessage());
        } catch (final RuntimeException e) {
            problem.accept("is not a valid Avro schema: " + e.getClass().getSimpleName());
        }
        return null;
    }
}

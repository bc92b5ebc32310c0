package io.sluice.plugins.schemavalidation;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

import io.sluice.common.Json;
import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.InlineOrFile;
import io.sluice.plugins.support.Secret;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code schema-validation} config: an inline JSON Schema ({@code schema} / {@code schemaFile}), or a schema
 * registry subject ({@code subject} + {@code version}). An inline schema is compiled when the binding is parsed; a
 * {@code schemaFile} lives on the instances and is compiled when one creates the interceptor
 * ({@link #withInstanceFiles}).
 *
 * @param schema     the compiled JSON Schema; {@code null} with a subject, and until read from {@code schemaFile}
 * @param schemaFile the file holding it on each instance, or {@code null}
 * @param subject    the registry subject values must be registered under, or {@code null}
 * @param version    {@code latest}, {@code any} or a version number (with a subject)
 */
record SchemaValidationConfig(
    @ConfigDoc(type = "object | string", value = "the JSON Schema, inline (draft 2020-12 unless its $schema says"
        + " otherwise; remote $refs are not fetched; 'format' is an annotation, as the draft says). A value that is not"
        + " JSON is rejected; a tombstone passes") Schema schema,
    @ConfigDoc(type = "path", value = "a file on each instance holding the JSON Schema; one of schema / schemaFile /"
        + " subject is required") String schemaFile,
    @ConfigDoc(value = "instead of a schema: a schema registry subject (e.g. orders-value); the value must be framed"
        + " with a schema id registered under it and decode under that schema (JSON Schema values must also validate"
        + " against it). Needs the topology's schemaRegistry") String subject,
    @ConfigDoc(type = "latest | any | N", defaultValue = "latest", value = "with subject: the subject's latest"
        + " version, any of its versions, or version N") String version) {

    private static final Pattern VERSION = Pattern.compile("latest|any|[1-9][0-9]{0,9}");

    static SchemaValidationConfig read(final ConfigReader config) {
        final String subject = config.string("subject", null);
        final String version = config.string("version", null);
        if (subject != null || config.has("subject")) {
            return subject(config, subject, version);
        }
        if (config.has("version")) {
            config.problem("version", "is only for 'subject'");
        }
        final InlineOrFile.Source source = InlineOrFile.read(config, "schema", "schemaFile", true);
        config.rejectUnknownFields();
        if (source == null) {
            return new SchemaValidationConfig(null, null, null, null);
        }
        if (source.inline() == null) {
            return new SchemaValidationConfig(null, source.file(), null, null);
        }
        return new SchemaValidationConfig(compile(source.inline(), message -> config.problem("schema", message)), null,
            null, null);
    }

    /**
     * This config with the schema of {@code schemaFile}, read and compiled now.
     *
     * @throws IllegalArgumentException {@code schemaFile: why}
     */
    SchemaValidationConfig withInstanceFiles() {
        if (schemaFile == null) {
            return this;
        }
        final String text = new InlineOrFile.Source("schemaFile", null, schemaFile).load();
        return new SchemaValidationConfig(compile(text, message -> {
            throw Secret.problem("schemaFile", message);
        }), schemaFile, null, null);
    }

    /** The compiled schema; {@code null} after reporting why the text is not one. */
    private static Schema compile(final String text, final Consumer<String> problem) {
        final JsonNode document;
        try {
            document = Json.MAPPER.readTree(text);
        } catch (final JsonProcessingException e) {
            problem.accept("is not JSON: " + e.getOriginalMessage());
            return null;
        }
        if (document == null || !(document.isObject() || document.isBoolean())) {
            problem.accept("must be a JSON Schema: an object (or true / false)");
            return null;
        }
        final List<String> errors = JsonSchemas.metaSchemaErrors(document);
        if (!errors.isEmpty()) {
            problem.accept("is not a valid JSON Schema (draft 2020-12): " + String.join("; ", errors));
            return null;
        }
        try {
            return JsonSchemas.compile(document);
        } catch (final RuntimeException e) {
            // e.g. a $ref to a document that cannot be loaded
            problem.accept("cannot be compiled (remote $refs are not fetched): " + e.getMessage());
            return null;
        }
    }

    private static SchemaValidationConfig subject(final ConfigReader config, final String subject, final String version) {
        if (config.has("schema") || config.has("schemaFile")) {
            config.problem("subject", "a registry subject and an inline schema (schema / schemaFile) exclude each other;"
                + " keep one");
        }
        if (subject != null && subject.isBlank()) {
            config.problem("subject", "must not be empty");
        }
        if (version != null && !VERSION.matcher(version).matches()) {
            config.problem("version", "'" + version + "' is not latest, any or a version number (1, 2, ...)");
        }
        config.rejectUnknownFields();
        return new SchemaValidationConfig(null, null, subject, version == null ? "latest" : version);
    }
}

package io.sluice.plugins.schemavalidation;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

import io.sluice.common.Json;
import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.InlineOrFile;

/**
 * The {@code schema-validation} config: an inline JSON Schema ({@code schema} / {@code schemaFile}), or a schema
 * registry subject ({@code subject} + {@code version}).
 *
 * @param schema  the compiled JSON Schema, or {@code null} with a subject
 * @param subject the registry subject values must be registered under, or {@code null}
 * @param version {@code latest}, {@code any} or a version number (with a subject)
 */
record SchemaValidationConfig(Schema schema, String subject, String version) {

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
        final String text = InlineOrFile.read(config, "schema", "schemaFile", true);
        final String field = config.has("schema") ? "schema" : "schemaFile";
        config.rejectUnknownFields();
        if (text == null) {
            return new SchemaValidationConfig(null, null, null);
        }
        final JsonNode document;
        try {
            document = Json.MAPPER.readTree(text);
        } catch (final JsonProcessingException e) {
            config.problem(field, "is not JSON: " + e.getOriginalMessage());
            return new SchemaValidationConfig(null, null, null);
        }
        if (document == null || !(document.isObject() || document.isBoolean())) {
            config.problem(field, "must be a JSON Schema: an object (or true / false)");
            return new SchemaValidationConfig(null, null, null);
        }
        final List<String> errors = JsonSchemas.metaSchemaErrors(document);
        if (!errors.isEmpty()) {
            config.problem(field, "is not a valid JSON Schema (draft 2020-12): " + String.join("; ", errors));
            return new SchemaValidationConfig(null, null, null);
        }
        try {
            return new SchemaValidationConfig(JsonSchemas.compile(document), null, null);
        } catch (final RuntimeException e) {
            // e.g. a $ref to a document that cannot be loaded
            config.problem(field, "cannot be compiled (remote $refs are not fetched): " + e.getMessage());
            return new SchemaValidationConfig(null, null, null);
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
        return new SchemaValidationConfig(null, subject, version == null ? "latest" : version);
    }
}

package io.sluice.plugins.schemavalidation;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

import io.sluice.common.Json;
import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.InlineOrFile;
import io.sluice.plugins.support.Secret;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code schema-validation} config. An inline schema is compiled when the binding is parsed; a {@code schemaFile}
 * lives on the instances and is compiled when one creates the interceptor ({@link #withInstanceFiles}).
 *
 * @param schema     the compiled JSON Schema; {@code null} until read from {@code schemaFile}
 * @param schemaFile the file holding it on each instance, or {@code null}
 */
record SchemaValidationConfig(
    @ConfigDoc(type = "object | string", value = "the JSON Schema, inline (draft 2020-12 unless its $schema says"
        + " otherwise; remote $refs are not fetched; 'format' is an annotation, as the draft says). A value that is not"
        + " JSON is rejected; a tombstone passes") Schema schema,
    @ConfigDoc(type = "path", value = "a file on each instance holding the JSON Schema; one of schema / schemaFile is"
        + " required") String schemaFile) {

    static SchemaValidationConfig read(final ConfigReader config) {
        final InlineOrFile.Source source = InlineOrFile.read(config, "schema", "schemaFile", true);
        config.rejectUnknownFields();
        if (source == null) {
            return new SchemaValidationConfig(null, null);
        }
        if (source.inline() == null) {
            return new SchemaValidationConfig(null, source.file());
        }
        return new SchemaValidationConfig(compile(source.inline(), message -> config.problem("schema", message)), null);
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
        }), schemaFile);
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
}

package io.sluice.plugins.schemavalidation;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;

import io.sluice.common.Json;
import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.InlineOrFile;

/**
 * The {@code schema-validation} config.
 *
 * @param schema the compiled JSON Schema
 */
record SchemaValidationConfig(Schema schema) {

    static SchemaValidationConfig read(final ConfigReader config) {
        final String text = InlineOrFile.read(config, "schema", "schemaFile", true);
        final String field = config.has("schema") ? "schema" : "schemaFile";
        config.rejectUnknownFields();
        if (text == null) {
            return new SchemaValidationConfig(null);
        }
        final JsonNode document;
        try {
            document = Json.MAPPER.readTree(text);
        } catch (final JsonProcessingException e) {
            config.problem(field, "is not JSON: " + e.getOriginalMessage());
            return new SchemaValidationConfig(null);
        }
        if (document == null || !(document.isObject() || document.isBoolean())) {
            config.problem(field, "must be a JSON Schema: an object (or true / false)");
            return new SchemaValidationConfig(null);
        }
        final List<String> errors = JsonSchemas.metaSchemaErrors(document);
        if (!errors.isEmpty()) {
            config.problem(field, "is not a valid JSON Schema (draft 2020-12): " + String.join("; ", errors));
            return new SchemaValidationConfig(null);
        }
        try {
            return new SchemaValidationConfig(JsonSchemas.compile(document));
        } catch (final RuntimeException e) {
            // e.g. a $ref to a document that cannot be loaded
            config.problem(field, "cannot be compiled (remote $refs are not fetched): " + e.getMessage());
            return new SchemaValidationConfig(null);
        }
    }
}

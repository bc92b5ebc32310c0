package io.sluice.plugins.schemavalidation;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The one place the JSON Schema library is set up: draft 2020-12 unless a schema's {@code $schema} says
 * otherwise; meta-schemas come from the library's class path, and remote {@code $ref}s are never fetched, so a binding cannot make Sluice call out to the network.
 */
final class JsonSchemas {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private static final int MAX_MESSAGES = 10;

    private JsonSchemas() {
    }

    /** Why a document is not a valid draft 2020-12 schema; empty when it is. */
    static List<String> metaSchemaErrors(final JsonNode schema) {
        final Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        return messages(metaSchema.validate(schema));
    }

    /**
     * Compiles a schema and resolves its references now, so that a broken {@code $ref} is a config problem and
     * not a failure on the first record.
     */
    static Schema compile(final JsonNode schema) {
        final Schema compiled = REGISTRY.getSchema(schema);
        compiled.initializeValidators();
        return compiled;
    }

    /** The library's messages, each with the location in the document, at most {@value #MAX_MESSAGES}. */
    static List<String> messages(final List<Error> errors) {
        final List<String> messages = errors.stream().limit(MAX_MESSAGES)
            .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
            .toList();
        if (errors.size() <= MAX_MESSAGES) {
            return messages;
        }
        final List<String> capped = new java.util.ArrayList<>(messages);
        capped.add("and " + (errors.size() - MAX_MESSAGES) + " more");
        return capped;
    }
}

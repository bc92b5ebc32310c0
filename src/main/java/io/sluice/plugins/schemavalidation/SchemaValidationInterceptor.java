package io.sluice.plugins.schemavalidation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import io.sluice.plugins.support.JsonValues;
import io.sluice.registry.ConfluentJson;
import io.sluice.registry.RegistryCodecs;
import io.sluice.registry.RegistryUnavailableException;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistryException;
import io.sluice.registry.SubjectMembership;
import io.sluice.registry.UnknownSchemaException;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueFormatException;
import io.sluice.spi.ValueView;

/**
 * Rejects records whose value does not validate, with the reason: against an inline JSON Schema (JSON values), or
 * against a schema registry subject (framed values: the id must be registered under the subject at the version,
 * the value must decode under it, and a JSON Schema value must also validate against that schema).
 */
final class SchemaValidationInterceptor implements Interceptor {

    private final Schema schema;
    private final String subject;
    private final String version;
    private volatile SubjectMembership membership;
    /** Compiled JSON Schemas of registry ids (ids are immutable). */
    private final Map<Integer, Schema> registered = new ConcurrentHashMap<>();

    SchemaValidationInterceptor(final SchemaValidationConfig config) {
        this.schema = config.schema();
        this.subject = config.subject();
        this.version = config.version();
    }

    @Override
    public void onSend(final SendRecord record) {
        if (subject != null) {
            validateBySubject(record);
            return;
        }
        final JsonNode value;
        try {
            value = JsonValues.treeOrNull(record);
        } catch (final ValueFormatException e) {
            // Not JSON cannot match a JSON Schema: an invalid record, not a failing interceptor.
            record.reject(e.getMessage());
            return;
        }
        if (value == null) {
            return;
        }
        final List<Error> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            record.reject("the value does not match the schema: " + String.join("; ", JsonSchemas.messages(errors)));
        }
    }

    private void validateBySubject(final SendRecord record) {
        final ValueView view = record.valueView();
        if (view.isTombstone()) {
            return;
        }
        final SubjectMembership subjects = membership();
        final int id;
        try {
            id = view.schemaId(); // decodes the value under its schema
        } catch (final UnknownSchemaException | RegistryUnavailableException e) {
            throw e; // the registry's answer, not the value's: UNKNOWN_SCHEMA, or retried and then rejected
        } catch (final ValueFormatException e) {
            record.reject(e.getMessage());
            return;
        }
        if (id < 0) {
            record.reject("the value is not framed with a schema id; " + subjects.describe() + " expects one");
            return;
        }
        final boolean member;
        try {
            member = subjects.contains(id);
        } catch (final SchemaRegistryException e) {
            throw new RegistryUnavailableException(e.getMessage());
        }
        if (!member) {
            record.reject("schema id " + id + " is not registered under " + subjects.describe());
            return;
        }
        if (ConfluentJson.FORMAT.equals(view.format())) {
            // The view edits fields but gives no whole tree: parse the payload once more for the validator.
            final JsonNode tree = RegistryCodecs.json().decode(record.value()).root();
            final List<Error> errors = jsonSchema(id).validate(tree);
            if (!errors.isEmpty()) {
                record.reject("the value does not match its JSON Schema (id " + id + "): "
                    + String.join("; ", JsonSchemas.messages(errors)));
            }
        }
    }

    private Schema jsonSchema(final int id) {
        return registered.computeIfAbsent(id, unused -> JsonSchemas.compile(RegistryCodecs.json().schema(id)));
    }

    private SubjectMembership membership() {
        SubjectMembership known = membership;
        if (known == null) {
            final SchemaRegistryClient registry = RegistryCodecs.registry();
            if (registry == null) {
                throw new ValueFormatException("schema-validation with a subject needs the topology's schemaRegistry");
            }
            known = new SubjectMembership(registry, subject, version);
            membership = known;
        }
        return known;
    }
}

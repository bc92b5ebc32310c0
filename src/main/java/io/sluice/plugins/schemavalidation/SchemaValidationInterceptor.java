package io.sluice.plugins.schemavalidation;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

import io.sluice.plugins.support.JsonValues;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueFormatException;

/** Rejects records whose JSON value does not validate against the schema, with the validator's messages. */
final class SchemaValidationInterceptor implements Interceptor {

    private final Schema schema;

    SchemaValidationInterceptor(final SchemaValidationConfig config) {
        this.schema = config.schema();
    }

    @Override
    public void onSend(final SendRecord record) {
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
}

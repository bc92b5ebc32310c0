package io.sluice.plugins.schemavalidation;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code schema-validation}: rejects JSON values that do not validate against a JSON Schema (draft 2020-12). */
public final class SchemaValidationFactory implements InterceptorFactory {

    @Override
    public String type() {
        return "schema-validation";
    }

    @Override
    public String description() {
        return "Rejects values that do not validate: JSON against a JSON Schema (draft 2020-12), or framed values"
            + " against a schema registry subject";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("schema", "object | string", false, null,
                "the JSON Schema, inline (draft 2020-12 unless its $schema says otherwise; remote $refs are not"
                    + " fetched; 'format' is an annotation, as the draft says). A value that is not JSON is"
                    + " rejected; a tombstone passes"),
            new ConfigField("schemaFile", "path", false, null, "a file holding the JSON Schema; one of schema / schemaFile / subject is required"),
            new ConfigField("subject", "string", false, null,
                "instead of a schema: a schema registry subject (e.g. orders-value); the value must be framed with a"
                    + " schema id registered under it and decode under that schema (JSON Schema values must also"
                    + " validate against it). Needs the topology's schemaRegistry"),
            new ConfigField("version", "latest | any | N", false, "latest",
                "with subject: the subject's latest version, any of its versions, or version N"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, SchemaValidationConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new SchemaValidationInterceptor(ConfigReader.parse(setup.config(), SchemaValidationConfig::read));
    }
}

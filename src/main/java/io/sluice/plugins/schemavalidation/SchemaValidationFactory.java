package io.sluice.plugins.schemavalidation;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code schema-validation}: rejects JSON values that do not validate against a JSON Schema (draft 2020-12). */
public final class SchemaValidationFactory implements TypedInterceptorFactory<SchemaValidationConfig> {

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
    public Class<SchemaValidationConfig> configType() {
        return SchemaValidationConfig.class;
    }

    @Override
    public ParsedConfig<SchemaValidationConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, SchemaValidationConfig::read);
    }

    /** Reads and compiles a {@code schemaFile} on this instance: a missing or bad file fails the creation. */
    @Override
    public Interceptor create(final InterceptorSetup setup, final SchemaValidationConfig config) {
        return new SchemaValidationInterceptor(config.withInstanceFiles());
    }
}

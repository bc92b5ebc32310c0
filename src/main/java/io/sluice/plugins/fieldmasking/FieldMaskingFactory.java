package io.sluice.plugins.fieldmasking;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/**
 * {@code field-masking}: masks fields of JSON values, or of Avro values (plain binary encoding) when the binding
 * names an Avro schema. Defaults to {@code onError: reject}: a value that cannot be masked is not passed on.
 */
public final class FieldMaskingFactory implements TypedInterceptorFactory<MaskingConfig> {

    private final Function<String, String> environment;

    public FieldMaskingFactory() {
        this(System::getenv);
    }

    /** For tests: an environment of their own for {@code saltEnv}. */
    FieldMaskingFactory(final Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String type() {
        return "field-masking";
    }

    @Override
    public String description() {
        return "Masks fields of JSON values (or Avro values with a schema): ALL, FIRST_N, LAST_N or salted HASH";
    }

    @Override
    public OnError defaultOnError() {
        return OnError.REJECT;
    }

    @Override
    public Class<MaskingConfig> configType() {
        return MaskingConfig.class;
    }

    @Override
    public ParsedConfig<MaskingConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, MaskingConfig::read);
    }

    /** Reads the salt and a schema file from this instance: when they are missing or bad, the creation fails. */
    @Override
    public Interceptor create(final InterceptorSetup setup, final MaskingConfig config) {
        return new FieldMaskingInterceptor(config.withInstanceFiles(environment));
    }
}

package io.sluice.plugins.fieldmasking;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.ValueFormats;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;

/**
 * {@code field-masking}: masks fields of JSON values, or of Avro values (plain binary encoding) when the binding
 * names an Avro schema. Defaults to {@code onError: reject}: a value that cannot be masked is not passed on.
 */
public final class FieldMaskingFactory implements InterceptorFactory {

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
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("fields", "list<{path, strategy, n, char}>", true, null,
                "the fields to mask: path (card.number, items[*].sku); strategy ALL | FIRST_N | LAST_N | HASH;"
                    + " n = characters kept visible by FIRST_N (the first n) and LAST_N (the last n); char overrides"
                    + " the mask character. A number or boolean is masked as its text and becomes a string;"
                    + " an object or array has every value inside masked; null stays null"),
            new ConfigField("char", "string (one character)", false, "*", "the mask character"),
            new ConfigField("saltFile", "path", false, null,
                "a file holding the salt of HASH (at least 16 bytes of text); HASH = hex SHA-256(salt + value)"),
            new ConfigField("saltEnv", "string", false, null,
                "an environment variable holding the salt of HASH; one of saltFile / saltEnv is required with HASH"),
            new ConfigField("avroSchema", "object | string", false, null,
                "an Avro schema: values are then one datum in Avro binary encoding (no framing), and every path"
                    + " must lead to a string field of the schema"),
            new ConfigField("avroSchemaFile", "path", false, null, "a file holding the Avro schema, instead of avroSchema"),
            ValueFormats.field(true));
    }

    @Override
    public OnError defaultOnError() {
        return OnError.REJECT;
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, reader -> MaskingConfig.read(reader, environment));
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new FieldMaskingInterceptor(ConfigReader.parse(setup.config(), reader -> MaskingConfig.read(reader, environment)));
    }
}

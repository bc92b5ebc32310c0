package io.sluice.testing;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** A test plugin type: string config fields read with {@link ConfigReader}, unknown fields rejected. */
abstract class TestFactory implements InterceptorFactory {

    private final String type;
    private final List<ConfigField> fields;

    TestFactory(final String type, final ConfigField... fields) {
        this.type = type;
        this.fields = List.of(fields);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return "a test plugin";
    }

    @Override
    public final List<ConfigField> configFields() {
        return fields;
    }

    @Override
    public final List<ConfigProblem> validate(final JsonNode config) {
        final ConfigReader reader = ConfigReader.of(config);
        for (final ConfigField field : fields) {
            if (field.required()) {
                reader.requiredString(field.name());
            } else {
                reader.string(field.name(), null);
            }
        }
        reader.rejectUnknownFields();
        return reader.problems();
    }

    @Override
    public final Interceptor create(final InterceptorSetup setup) {
        return create(setup, ConfigReader.of(setup.config()));
    }

    abstract Interceptor create(InterceptorSetup setup, ConfigReader config);

    static ConfigField required(final String name) {
        return new ConfigField(name, "string", true, null, name);
    }

    static ConfigField optional(final String name) {
        return new ConfigField(name, "string", false, null, name);
    }
}

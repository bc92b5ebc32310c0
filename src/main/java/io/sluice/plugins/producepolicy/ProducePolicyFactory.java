package io.sluice.plugins.producepolicy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code produce-policy}: safeguards on keys, headers, value size and value format. */
public final class ProducePolicyFactory implements InterceptorFactory {

    @Override
    public String type() {
        return "produce-policy";
    }

    @Override
    public String description() {
        return "Safeguards: required key and headers, maximum value size, JSON values; blocks or reports violations";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("requireKey", "boolean", false, "false", "records must have a key (null and empty keys violate)"),
            new ConfigField("requiredHeaders", "list<string>", false, null, "headers every record must have"),
            new ConfigField("maxValueBytes", "integer >= 1", false, null, "the largest value, in bytes; tombstones pass"),
            new ConfigField("valueFormat", "json | any", false, "any", "json: values must parse as JSON; tombstones pass"),
            new ConfigField("action", "BLOCK | INFO", false, "BLOCK",
                "BLOCK rejects the record with every violation as the reason; INFO lets it pass and reports each"
                    + " violation in its acknowledgement event"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, ProducePolicyConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new ProducePolicyInterceptor(ConfigReader.parse(setup.config(), ProducePolicyConfig::read));
    }
}

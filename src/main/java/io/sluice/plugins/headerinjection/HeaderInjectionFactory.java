package io.sluice.plugins.headerinjection;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code header-injection}: adds headers whose values are templates over the record's context. */
public final class HeaderInjectionFactory implements InterceptorFactory {

    @Override
    public String type() {
        return "header-injection";
    }

    @Override
    public String description() {
        return "Adds headers from templates such as {{uuid}}, {{user}} or {{topic}}";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("headers", "map<string,string>", true, null,
                "header name -> value template; placeholders: " + Template.Placeholder.names()
                    + " ({{user}} is empty for the anonymous user, {{groups}} is comma-separated and sorted,"
                    + " {{timestamp}} is epoch milliseconds)"),
            new ConfigField("overwrite", "boolean", false, "false",
                "replace a header the record already has; when false the existing header is kept"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, HeaderInjectionConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new HeaderInjectionInterceptor(ConfigReader.parse(setup.config(), HeaderInjectionConfig::read));
    }
}

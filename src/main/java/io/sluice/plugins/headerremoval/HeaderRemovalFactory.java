package io.sluice.plugins.headerremoval;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code header-removal}: removes the headers whose name matches a regex. */
public final class HeaderRemovalFactory implements InterceptorFactory {

    @Override
    public String type() {
        return "header-removal";
    }

    @Override
    public String description() {
        return "Removes the headers whose whole name matches a regex";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(new ConfigField("pattern", "regex", true, null,
            "a Java regex; a header is removed when its whole name matches (e.g. \"x-internal-.*\")"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, HeaderRemovalConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new HeaderRemovalInterceptor(ConfigReader.parse(setup.config(), HeaderRemovalConfig::read));
    }
}

package io.sluice.plugins.headerremoval;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code header-removal}: removes the headers whose name matches a regex. */
public final class HeaderRemovalFactory implements TypedInterceptorFactory<HeaderRemovalConfig> {

    @Override
    public String type() {
        return "header-removal";
    }

    @Override
    public String description() {
        return "Removes the headers whose whole name matches a regex";
    }

    @Override
    public Class<HeaderRemovalConfig> configType() {
        return HeaderRemovalConfig.class;
    }

    @Override
    public ParsedConfig<HeaderRemovalConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, HeaderRemovalConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup, final HeaderRemovalConfig config) {
        return new HeaderRemovalInterceptor(config);
    }
}

package io.sluice.plugins.headerinjection;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code header-injection}: adds headers whose values are templates over the record's context. */
public final class HeaderInjectionFactory implements TypedInterceptorFactory<HeaderInjectionConfig> {

    @Override
    public String type() {
        return "header-injection";
    }

    @Override
    public String description() {
        return "Adds headers from templates such as {{uuid}}, {{user}} or {{topic}}";
    }

    @Override
    public Class<HeaderInjectionConfig> configType() {
        return HeaderInjectionConfig.class;
    }

    @Override
    public ParsedConfig<HeaderInjectionConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, HeaderInjectionConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup, final HeaderInjectionConfig config) {
        return new HeaderInjectionInterceptor(config);
    }
}

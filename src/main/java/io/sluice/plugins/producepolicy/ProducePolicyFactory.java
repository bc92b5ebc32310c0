package io.sluice.plugins.producepolicy;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code produce-policy}: safeguards on keys, headers, value size and value format. */
public final class ProducePolicyFactory implements TypedInterceptorFactory<ProducePolicyConfig> {

    @Override
    public String type() {
        return "produce-policy";
    }

    @Override
    public String description() {
        return "Safeguards: required key and headers, maximum value size, JSON values; blocks or reports violations";
    }

    @Override
    public Class<ProducePolicyConfig> configType() {
        return ProducePolicyConfig.class;
    }

    @Override
    public ParsedConfig<ProducePolicyConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, ProducePolicyConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup, final ProducePolicyConfig config) {
        return new ProducePolicyInterceptor(config);
    }
}

package io.sluice.plugins.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code chaos}: duplicates or corrupts a share of records, to test consumers. */
public final class ChaosFactory implements TypedInterceptorFactory<ChaosConfig> {

    @Override
    public String type() {
        return "chaos";
    }

    @Override
    public String description() {
        return "For testing consumers: duplicates or corrupts a share of records, deterministically with a seed";
    }

    @Override
    public Class<ChaosConfig> configType() {
        return ChaosConfig.class;
    }

    @Override
    public ParsedConfig<ChaosConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, ChaosConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup, final ChaosConfig config) {
        // No seed in the config: random under sluice run, the test's fixed seed under sluice test.
        return new ChaosInterceptor(config.seed() != null || setup.clockAndSeed().seed() == null ? config
            : new ChaosConfig(config.duplicatePercent(), config.corruptPercent(), setup.clockAndSeed().seed()));
    }
}

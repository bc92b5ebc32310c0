package io.sluice.plugins.chaos;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code chaos}: duplicates or corrupts a share of records, to test consumers. */
public final class ChaosFactory implements InterceptorFactory {

    @Override
    public String type() {
        return "chaos";
    }

    @Override
    public String description() {
        return "For testing consumers: duplicates or corrupts a share of records, deterministically with a seed";
    }

    @Override
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("duplicatePercent", "number 0-100", false, "0", "the share of records written to egress twice"),
            new ConfigField("corruptPercent", "number 0-100", false, "0",
                "the share of records whose value is corrupted: cut to half its length, first byte inverted"),
            new ConfigField("seed", "integer", false, null,
                "makes it deterministic: the same records (by topic, partition, offset) are hit on every run"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, ChaosConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        final ChaosConfig config = ConfigReader.parse(setup.config(), ChaosConfig::read);
        // No seed in the config: random under sluice run, the test's fixed seed under sluice test.
        return new ChaosInterceptor(config.seed() != null || setup.clockAndSeed().seed() == null ? config
            : new ChaosConfig(config.duplicatePercent(), config.corruptPercent(), setup.clockAndSeed().seed()));
    }
}

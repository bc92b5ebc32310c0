package io.sluice.plugins.quota;

import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/** {@code quota}: records and bytes per second per user or vcluster; over the quota the record is rejected. */
public final class QuotaFactory implements TypedInterceptorFactory<QuotaConfig> {

    /** A clock that overrides the setup's, or {@code null}. */
    private final LongSupplier clock;

    /** Instances count time with their setup's clock: the system's under {@code sluice run}. */
    public QuotaFactory() {
        this(null);
    }

    /** For tests: a clock of their own, in nanoseconds. */
    QuotaFactory(final LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return "quota";
    }

    @Override
    public String description() {
        return "Records and bytes per second per user or vcluster (token bucket); over the quota, records are rejected";
    }

    @Override
    public Class<QuotaConfig> configType() {
        return QuotaConfig.class;
    }

    @Override
    public ParsedConfig<QuotaConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, QuotaConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup, final QuotaConfig config) {
        return new QuotaInterceptor(config, clock != null ? clock : setup.clockAndSeed().nanoClock());
    }
}

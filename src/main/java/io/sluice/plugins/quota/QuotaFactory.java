package io.sluice.plugins.quota;

import java.util.List;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** {@code quota}: records and bytes per second per user or vcluster; over the quota the record is rejected. */
public final class QuotaFactory implements InterceptorFactory {

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
    public List<ConfigField> configFields() {
        return List.of(
            new ConfigField("recordsPerSecond", "number > 0", false, null,
                "records per second per user (or vcluster); an idle one may burst up to one second's worth"),
            new ConfigField("bytesPerSecond", "number > 0", false, null,
                "key + value bytes per second per user (or vcluster); one of recordsPerSecond / bytesPerSecond is"
                    + " required"),
            new ConfigField("per", "user | vcluster", false, "user",
                "whose quota: the sending user (anonymous users share one) or the vcluster. Counted per Sluice"
                    + " instance"));
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, QuotaConfig::read);
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        return new QuotaInterceptor(ConfigReader.parse(setup.config(), QuotaConfig::read),
            clock != null ? clock : setup.clockAndSeed().nanoClock());
    }
}

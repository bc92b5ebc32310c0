package io.sluice.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a factory gets to create one instance.
 *
 * @param name          the binding's interceptor name
 * @param vcluster      the binding scope's vcluster, or {@code null}
 * @param group         the binding scope's group, or {@code null}
 * @param username      the binding scope's username, or {@code null}
 * @param config        the binding's config; it has passed {@link InterceptorFactory#validate}
 * @param clockAndSeed  the clock and the default seed the instance should use ({@link ClockAndSeed#SYSTEM} under
 *                      {@code sluice run}, fixed ones under {@code sluice test})
 * @param dataKeys      the data keys of the topology's keyrings ({@link DataKeys#NONE} when it has none)
 * @param parsedConfig  the config as a {@link TypedInterceptorFactory} parsed it when the binding was read, or
 *                      {@code null} (other factories, or a caller that did not parse it)
 */
public record InterceptorSetup(String name, String vcluster, String group, String username, JsonNode config,
                               ClockAndSeed clockAndSeed, DataKeys dataKeys, Object parsedConfig) {

    public InterceptorSetup {
        if (clockAndSeed == null) {
            clockAndSeed = ClockAndSeed.SYSTEM;
        }
        if (dataKeys == null) {
            dataKeys = DataKeys.NONE;
        }
    }

    /** A setup with the system's clock, no seed and no keyrings. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config) {
        this(name, vcluster, group, username, config, ClockAndSeed.SYSTEM, DataKeys.NONE, null);
    }

    /** A setup with the system's clock, no keyrings and the config already parsed. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config, final Object parsedConfig) {
        this(name, vcluster, group, username, config, ClockAndSeed.SYSTEM, DataKeys.NONE, parsedConfig);
    }

    /** A setup with that clock and seed, and no keyrings. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config, final ClockAndSeed clockAndSeed) {
        this(name, vcluster, group, username, config, clockAndSeed, DataKeys.NONE, null);
    }

    /** A setup with the system's clock and those keyrings. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config, final DataKeys dataKeys) {
        this(name, vcluster, group, username, config, ClockAndSeed.SYSTEM, dataKeys, null);
    }

    /** A setup with that clock and seed and those keyrings. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config, final ClockAndSeed clockAndSeed, final DataKeys dataKeys) {
        this(name, vcluster, group, username, config, clockAndSeed, dataKeys, null);
    }
}

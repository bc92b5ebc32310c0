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
 * @param dataKeys      the data keys of the topology's keyrings ({@link DataKeys#NONE} when it has none)
 */
public record InterceptorSetup(String name, String vcluster, String group, String username, JsonNode config,
                               DataKeys dataKeys) {

    /** A setup without keyrings. */
    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config) {
        this(name, vcluster, group, username, config, DataKeys.NONE);
    }
}

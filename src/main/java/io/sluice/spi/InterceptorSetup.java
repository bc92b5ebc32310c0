package io.sluice.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a factory gets to create one instance.
 *
 * @param name         the binding's interceptor name
 * @param vcluster     the binding scope's vcluster, or {@code null}
 * @param group        the binding scope's group, or {@code null}
 * @param username     the binding scope's username, or {@code null}
 * @param config       the binding's config; it has passed {@link InterceptorFactory#validate}
 * @param parsedConfig the config as a {@link TypedInterceptorFactory} parsed it when the binding was read, or
 *                     {@code null} (other factories, or a caller that did not parse it)
 */
public record InterceptorSetup(String name, String vcluster, String group, String username, JsonNode config,
                               Object parsedConfig) {

    public InterceptorSetup(final String name, final String vcluster, final String group, final String username,
                            final JsonNode config) {
        this(name, vcluster, group, username, config, null);
    }
}

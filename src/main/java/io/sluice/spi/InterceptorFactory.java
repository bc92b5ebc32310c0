package io.sluice.spi;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plugin type. Factories are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.sluice.spi.InterceptorFactory}. A binding names a plugin by its
 * {@link #type()} or by the factory's fully qualified class name.
 */
public interface InterceptorFactory {

    /** The type name bindings use, e.g. {@code header-injection}. */
    String type();

    /** One line on what the plugin does. */
    String description();

    /** The config fields, for {@code sluice plugins}. */
    List<ConfigField> configFields();

    /** {@code onError} when the binding does not set it. Plugins that protect data return {@link OnError#REJECT}. */
    default OnError defaultOnError() {
        return OnError.SKIP;
    }

    /**
     * Checks a binding's config: every problem, each naming its field. Empty when the config is valid.
     *
     * @param config the binding's {@code spec.config}; an empty object when the binding has none
     */
    List<ConfigProblem> validate(JsonNode config);

    /** Creates an instance for one binding version. Called only with a config that passed {@link #validate}. */
    Interceptor create(InterceptorSetup setup);
}

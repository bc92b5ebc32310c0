package io.sluice.spi;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plugin whose config is a typed record, parsed once per binding version. Sluice parses a binding's config when it
 * reads the binding ({@code bindings apply}, and each instance reading the config topic), keeps the typed record with
 * the binding, and hands it to {@link #create(InterceptorSetup, Record)}.
 *
 * <p>Two phases, so that whether a binding is valid does not depend on the machine that reads it:
 * <ul>
 *   <li>{@link #parse} checks the config's <em>shape</em> only — types, ranges, paths, templates, inline schemas. It
 *       must not read files or the environment: {@code bindings apply} cannot see the instances' files.</li>
 *   <li>{@link #create} runs on the instance: it reads what lives there (key and salt files, environment variables,
 *       schema files) once, and builds the interceptor. Throwing here is an <em>instance-creation failure</em>: counted,
 *       logged, reported by {@code bindings list} as not loadable on that instance, and handled by the binding's
 *       {@code onError} for every record the interceptor would have seen.</li>
 * </ul>
 * {@code sluice plugins} lists the config record's {@link ConfigDoc}-annotated components.
 *
 * @param <C> the config record
 */
public interface TypedInterceptorFactory<C extends Record> extends InterceptorFactory {

    /** The config record type. */
    Class<C> configType();

    /** Parses a binding's {@code spec.config} (an empty object when it has none): shape only, no files. */
    ParsedConfig<C> parse(JsonNode config);

    /**
     * Creates an instance for one binding version from its parsed config, reading the instance's secrets.
     *
     * @throws Exception with a one-line message naming the field (e.g. {@code keyFile: cannot read '/k': no such
     *                   file}), never a secret's content
     */
    Interceptor create(InterceptorSetup setup, C config) throws Exception;

    @Override
    default List<ConfigField> configFields() {
        return ConfigField.of(configType());
    }

    @Override
    default List<ConfigProblem> validate(final JsonNode config) {
        return parse(config).problems();
    }

    /** Creates from the setup's parsed config, or parses {@code setup.config()} when the caller did not. */
    @Override
    default Interceptor create(final InterceptorSetup setup) {
        final C config = configType().isInstance(setup.parsedConfig())
            ? configType().cast(setup.parsedConfig()) : parse(setup.config()).orThrow();
        try {
            return create(setup, config);
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

package io.sluice.plugins;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import io.sluice.spi.InterceptorFactory;

/**
 * The plugin types this process knows: built-in and custom factories, found with {@link ServiceLoader}.
 * A binding's {@code plugin} names a factory by its type or by its fully qualified class name.
 */
public final class PluginRegistry {

    private final Map<String, InterceptorFactory> byType;
    private final Map<String, InterceptorFactory> byClassName;

    public PluginRegistry(final Collection<InterceptorFactory> factories) {
        final Map<String, InterceptorFactory> types = new LinkedHashMap<>();
        final Map<String, InterceptorFactory> classNames = new LinkedHashMap<>();
        factories.stream()
            .sorted(java.util.Comparator.comparing(InterceptorFactory::type))
            .forEach(factory -> {
                final InterceptorFactory clash = types.putIfAbsent(factory.type(), factory);
                if (clash != null) {
                    throw new IllegalStateException("two plugin factories have the type '" + factory.type() + "': "
                        + clash.getClass().getName() + " and " + factory.getClass().getName());
                }
                classNames.put(factory.getClass().getName(), factory);
            });
        this.byType = Collections.unmodifiableMap(types);
        this.byClassName = Collections.unmodifiableMap(classNames);
    }

    /** The factories on the class path of this process. */
    public static PluginRegistry load() {
        return load(PluginRegistry.class.getClassLoader());
    }

    public static PluginRegistry load(final ClassLoader classLoader) {
        return new PluginRegistry(ServiceLoader.load(InterceptorFactory.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
    }

    /** The factory a binding's {@code plugin} names: a type, or a factory class name. */
    public Optional<InterceptorFactory> find(final String plugin) {
        final InterceptorFactory factory = byType.get(plugin);
        return factory != null ? Optional.of(factory) : Optional.ofNullable(byClassName.get(plugin));
    }

    /** Every factory, in type order. */
    public List<InterceptorFactory> factories() {
        return List.copyOf(byType.values());
    }
}

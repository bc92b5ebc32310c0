package io.sluice.plugins;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.sluice.spi.InterceptorFactory;

/**
 * The plugin types this process knows: built-in and custom factories, found with {@link ServiceLoader}.
 * A binding's {@code plugin} names a factory by its type or by its fully qualified class name.
 *
 * <p>Custom plugins come from plugin folders, as Kafka Connect's {@code plugin.path}: every jar directly in a
 * folder is one plugin with its own class loader; every sub-folder is one plugin whose jars share a class
 * loader (a plugin with its dependencies). Those loaders are children of the application's, so the SPI, Kafka
 * and the libraries Sluice ships are the application's own classes.
 */
public final class PluginRegistry {

    /** Where a factory came from, for {@code sluice plugins}: built-in, or the jar or folder it was loaded from. */
    public static final String BUILT_IN = "built-in";

    private final Map<String, InterceptorFactory> byType;
    private final Map<String, InterceptorFactory> byClassName;
    private final Map<String, String> originByType;

    /** Factories that all count as built-in (tests, benchmarks). */
    public PluginRegistry(final Collection<InterceptorFactory> factories) {
        this(factories.stream().map(factory -> new Found(factory, BUILT_IN)));
    }

    private PluginRegistry(final Stream<Found> found) {
        final Map<String, InterceptorFactory> types = new LinkedHashMap<>();
        final Map<String, InterceptorFactory> classNames = new LinkedHashMap<>();
        final Map<String, String> origins = new LinkedHashMap<>();
        found
            .sorted(Comparator.comparing(entry -> entry.factory().type()))
            .forEach(entry -> {
                final InterceptorFactory factory = entry.factory();
                final InterceptorFactory clash = types.putIfAbsent(factory.type(), factory);
                if (clash != null) {
                    throw new PluginLoadException("plugin type '" + factory.type() + "' is defined twice: by "
                        + describe(clash.getClass().getName(), origins.get(factory.type())) + " and by "
                        + describe(factory.getClass().getName(), entry.origin()));
                }
                origins.put(factory.type(), entry.origin());
                classNames.put(factory.getClass().getName(), factory);
            });
        this.byType = Collections.unmodifiableMap(types);
        this.byClassName = Collections.unmodifiableMap(classNames);
        this.originByType = Collections.unmodifiableMap(origins);
    }

    /** The built-in factories only: those on the application's class path. */
    public static PluginRegistry load() {
        return load(List.of());
    }

    /**
     * The built-in factories and those of every plugin in {@code folders}.
     *
     * @throws PluginLoadException in one line naming the jar, when a folder cannot be read, a jar is broken, a
     *                             factory cannot be created, or two factories claim one type name
     */
    public static PluginRegistry load(final List<Path> folders) {
        final ClassLoader application = PluginRegistry.class.getClassLoader();
        final List<Found> found = new ArrayList<>();
        ServiceLoader.load(InterceptorFactory.class, application).stream()
            .forEach(provider -> found.add(new Found(provider.get(), BUILT_IN)));
        for (final Path folder : folders) {
            for (final Path plugin : plugins(folder)) {
                found.addAll(loadPlugin(plugin, application));
            }
        }
        return new PluginRegistry(found.stream());
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

    /** {@link #BUILT_IN}, or the jar (or plugin folder) the factory of this type came from. */
    public String origin(final InterceptorFactory factory) {
        return originByType.getOrDefault(factory.type(), BUILT_IN);
    }

    /** The plugins of one folder, in name order: its jars, and its sub-folders. */
    private static List<Path> plugins(final Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new PluginLoadException("plugin path " + folder + ": no such folder");
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(entry -> Files.isDirectory(entry) || isJar(entry)).sorted().toList();
        } catch (final IOException e) {
            throw new PluginLoadException("plugin path " + folder + ": cannot read: " + e.getMessage());
        }
    }

    private static List<Found> loadPlugin(final Path plugin, final ClassLoader parent) {
        final List<Path> jars = Files.isDirectory(plugin) ? jarsUnder(plugin) : List.of(plugin);
        if (jars.isEmpty()) {
            return List.of();
        }
        final String origin = plugin.toString();
        final URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = checkedUrl(jars.get(i));
        }
        // Never closed: the plugin's classes are in use for the life of the process.
        final URLClassLoader loader = new URLClassLoader("plugin:" + plugin.getFileName(), urls, parent);
        final List<Found> found = new ArrayList<>();
        try {
            for (final ServiceLoader.Provider<InterceptorFactory> provider
                : ServiceLoader.load(InterceptorFactory.class, loader).stream().toList()) {
                // The child loader also sees the built-ins through its parent: keep only this plugin's own.
                if (provider.type().getClassLoader() == loader) {
                    found.add(new Found(provider.get(), origin));
                }
            }
        } catch (final ServiceConfigurationError | LinkageError e) {
            throw new PluginLoadException("plugin " + origin + ": cannot load its interceptor factories: "
                + rootMessage(e));
        } catch (final RuntimeException e) {
            throw new PluginLoadException("plugin " + origin + ": an interceptor factory failed to start: "
                + rootMessage(e));
        }
        return found;
    }

    private static List<Path> jarsUnder(final Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(PluginRegistry::isJar).sorted().toList();
        } catch (final IOException e) {
            throw new PluginLoadException("plugin " + folder + ": cannot read: " + e.getMessage());
        }
    }

    private static boolean isJar(final Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jar");
    }

    /** The jar's URL, once it opens as a jar: a class loader would skip a broken one without a word. */
    private static URL checkedUrl(final Path jar) {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            return jar.toUri().toURL();
        } catch (final MalformedURLException e) {
            throw new PluginLoadException("plugin " + jar + ": not a valid path: " + e.getMessage());
        } catch (final IOException e) {
            throw new PluginLoadException("plugin " + jar + ": not a readable jar: " + e.getMessage());
        }
    }

    private static String describe(final String className, final String origin) {
        return BUILT_IN.equals(origin) ? "the built-in " + className : origin + " (" + className + ")";
    }

    /** The innermost cause's message, in one line: what actually went wrong in the plugin. */
    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        final String message = cause == error ? String.valueOf(error.getMessage())
            : error.getMessage() + ": " + cause;
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private record Found(InterceptorFactory factory, String origin) {
    }
}

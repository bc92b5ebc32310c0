package io.sluice.plugins;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds custom plugin jars at test time, as a plugin author would: compiles sources against the test class
 * path (the SPI) with {@code javax.tools}, and packs the classes and a service file into a jar.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * The source of a factory of type {@code type} whose interceptor adds the header {@code x-<type>} with the
     * binding's {@code config.value} (a required string) to every record.
     */
    public static String stampFactory(final String packageName, final String type) {
        return """
            package %1$s;

            import java.nio.charset.StandardCharsets;
            import java.util.List;
            import com.fasterxml.jackson.databind.JsonNode;
            import io.sluice.spi.*;

            public final class StampFactory implements InterceptorFactory {
                @Override public String type() { return "%2$s"; }
                @Override public String description() { return "Adds the header x-%2$s."; }
                @Override public List<ConfigField> configFields() {
                    return List.of(new ConfigField("value", "string", true, null, "The header's value."));
                }
                @Override public List<ConfigProblem> validate(final JsonNode config) {
                    return config.path("value").isTextual() ? List.of()
                        : List.of(new ConfigProblem("value", "is required and must be a string"));
                }
                @Override public Interceptor create(final InterceptorSetup setup) {
                    final byte[] value = setup.config().get("value").asText().getBytes(StandardCharsets.UTF_8);
                    return new Interceptor() {
                        @Override public void onSend(final SendRecord record) {
                            record.headers().add("x-%2$s", value);
                        }
                    };
                }
            }
            """.formatted(packageName, type);
    }

    /** A jar with one {@link #stampFactory}, registered as an {@code InterceptorFactory} service. */
    public static Path stampPlugin(final Path jar, final String packageName, final String type) throws IOException {
        return build(jar, Map.of(packageName + ".StampFactory", stampFactory(packageName, type)),
            packageName + ".StampFactory");
    }

    /**
     * Compiles {@code sources} (class name → source) and writes a jar with their classes and a service file that
     * lists {@code services} (which need not exist: a broken plugin).
     */
    public static Path build(final Path jar, final Map<String, String> sources, final String... services)
        throws IOException {
        final Path work = Files.createTempDirectory(jar.getParent(), "plugin-src");
        final Path classes = Files.createDirectories(work.resolve("classes"));
        final List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(),
            "-classpath", System.getProperty("java.class.path"), "--release", "17", "-proc:none"));
        for (final Map.Entry<String, String> source : sources.entrySet()) {
            final Path file = work.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = sources.isEmpty() ? 0 : compiler.run(null, errors, errors, arguments.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("the plugin does not compile: " + errors.toString(StandardCharsets.UTF_8));
        }
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (final Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.sluice.spi.InterceptorFactory"));
            out.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}

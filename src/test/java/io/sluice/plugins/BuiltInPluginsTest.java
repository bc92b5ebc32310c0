package io.sluice.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Document;
import io.sluice.common.Documents;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.InterceptorFactory;

/** Every built-in plugin is registered, documented, and has an example binding that validates. */
class BuiltInPluginsTest {

    static final Set<String> BUILT_IN = Set.of("header-injection", "header-removal", "field-masking",
        "field-encryption", "field-decryption", "produce-policy", "schema-validation", "quota", "chaos");

    private static final Path EXAMPLES = Path.of("topologies", "examples", "plugins");

    /** Problems an example may have only because this machine lacks the key or salt it names. */
    private static final Set<String> ENVIRONMENT_FIELDS = Set.of("keyFile", "keyEnv", "saltFile", "saltEnv");

    private final PluginRegistry registry = PluginRegistry.load();

    @Test
    void registersEveryBuiltInPluginWithServiceLoader() {
        // when
        final Set<String> types = new TreeSet<>(registry.factories().stream().map(InterceptorFactory::type).toList());

        // then
        assertTrue(types.containsAll(BUILT_IN), () -> "registered: " + types);
    }

    @Test
    void documentsEveryConfigField() {
        for (final String type : BUILT_IN) {
            // when
            final InterceptorFactory factory = registry.find(type).orElseThrow();

            // then
            assertFalse(factory.description().isBlank(), type);
            assertFalse(factory.configFields().isEmpty(), type);
            for (final ConfigField field : factory.configFields()) {
                assertFalse(field.description().isBlank(), type + "." + field.name());
                assertFalse(field.type().isBlank(), type + "." + field.name());
            }
        }
    }

    @Test
    void hasOneValidExampleBindingPerPlugin() {
        // given
        final Documents.ReadResult read = Documents.read(EXAMPLES);
        assertEquals(List.of(), read.problems());

        // when
        final Set<String> exampled = new TreeSet<>();
        for (final Document document : read.documents()) {
            final JsonNode resource = document.content();
            assertEquals("sluice/v1", resource.path("apiVersion").asText(), document.source());
            assertEquals("Interceptor", resource.path("kind").asText(), document.source());
            final String plugin = resource.path("spec").path("plugin").asText();
            final InterceptorFactory factory = registry.find(plugin).orElseThrow(() -> new AssertionError(plugin));
            final List<ConfigProblem> problems = factory.validate(resource.path("spec").path("config")).stream()
                .filter(problem -> !ENVIRONMENT_FIELDS.contains(problem.field()))
                .toList();
            assertEquals(List.of(), problems, document.source());
            exampled.add(plugin);
        }

        // then
        assertTrue(exampled.containsAll(BUILT_IN), () -> "examples for: " + exampled);
    }
}

package io.sluice.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Document;
import io.sluice.common.Documents;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigProblem;

/** The example bindings of README "Schema registry formats" are valid. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryExamplesTest {

    /** Problems an example may have only because this machine lacks the key it names. */
    private static final Set<String> ENVIRONMENT_FIELDS = Set.of("keyFile", "keyEnv");

    @Test
    void theRegistryExamplesAreValidBindings() {
        final Documents.ReadResult read = Documents.read(Path.of("topologies", "examples", "registry"));
        assertEquals(List.of(), read.problems());
        assertFalse(read.documents().isEmpty());
        final PluginRegistry plugins = PluginRegistry.load();
        for (final Document document : read.documents()) {
            final JsonNode spec = document.content().path("spec");
            final List<ConfigProblem> problems = plugins.find(spec.path("plugin").asText()).orElseThrow()
                .validate(spec.path("config")).stream()
                .filter(problem -> !ENVIRONMENT_FIELDS.contains(problem.field()))
                .toList();
            assertEquals(List.of(), problems, document.source());
        }
    }
}

package io.sluice.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchemaRegistrySettingsTest {

    @TempDir
    Path folder;

    private final List<String> problems = new ArrayList<>();

    @Test
    void aUrlAloneTakesTheDefaults() throws IOException {
        final SchemaRegistrySettings settings = read("{url: 'http://registry:8081/'}", Map.of());
        assertEquals(List.of(), problems);
        assertEquals(SchemaRegistrySettings.of(URI.create("http://registry:8081")), settings);
        assertEquals(Duration.ofSeconds(30), settings.timeout());
    }

    @Test
    void theEnvironmentOverridesTheUrlAndSetsUpARegistryWhenThereIsNone() throws IOException {
        final Map<String, String> env = Map.of(SchemaRegistrySettings.URL_ENV, "https://other:8443");
        assertEquals(URI.create("https://other:8443"), read("{url: 'http://registry:8081'}", env).url());
        assertEquals(URI.create("https://other:8443"), SchemaRegistrySettings.read(null, env::get, this::problem).url());
        assertNull(SchemaRegistrySettings.read(null, Map.<String, String>of()::get, this::problem));
        assertEquals(List.of(), problems);
    }

    @Test
    void basicAuthReadsThePasswordFromAFileOrTheEnvironmentAndNeverShowsIt() throws IOException {
        final Path file = Files.writeString(folder.resolve("pw"), "file-secret\n");
        final SchemaRegistrySettings fromFile = read("{url: 'http://r:1', basicAuth: {username: u, passwordFile: '"
            + file + "'}, timeout: 500ms}", Map.of());
        assertEquals("file-secret", fromFile.password());
        assertEquals(Duration.ofMillis(500), fromFile.timeout());
        final SchemaRegistrySettings fromEnv = read("{url: 'http://r:1', basicAuth: {username: u, passwordEnv: PW}}",
            Map.of("PW", "env-secret"));
        assertEquals("env-secret", fromEnv.password());
        assertFalse(fromFile.toString().contains("file-secret") || fromEnv.toString().contains("env-secret"));
        assertEquals(List.of(), problems);
    }

    @Test
    void everyProblemNamesItsFieldAndNoSecret() throws IOException {
        final SchemaRegistrySettings settings = read("{url: 'ftp://x', basicAuth: {username: u, password: hunter2},"
            + " properties: {ssl.truststore.location: /no/such, bogus: 1}, timeout: soon, extra: 1}", Map.of());
        assertNull(settings);
        final String all = String.join("\n", problems);
        assertTrue(all.contains("url: 'ftp://x' is not an http:// or https:// URL"), all);
        assertTrue(all.contains("basicAuth.password: must not be set"), all);
        assertTrue(all.contains("basicAuth: needs the password from exactly one of passwordFile and passwordEnv"), all);
        assertTrue(all.contains("properties.ssl.truststore.location: cannot read '/no/such'"), all);
        assertTrue(all.contains("properties.bogus: unknown property"), all);
        assertTrue(all.contains("timeout: must be a duration"), all);
        assertTrue(all.contains("extra: unknown field"), all);
        assertFalse(all.contains("hunter2"), all);
    }

    @Test
    void aMissingUrlIsReported() throws IOException {
        assertNull(read("{timeout: 5s}", Map.of()));
        assertEquals(List.of("url: is required (or the environment variable SLUICE_SCHEMA_REGISTRY_URL)"), problems);
    }

    private SchemaRegistrySettings read(final String yaml, final Map<String, String> env) throws IOException {
        final JsonNode node = Json.YAML.readTree(yaml);
        return SchemaRegistrySettings.read(node, env::get, this::problem);
    }

    private void problem(final String field, final String message) {
        problems.add(field + ": " + message);
    }
}

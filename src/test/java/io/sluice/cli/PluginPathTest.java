package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.plugins.PluginJars;

/** Custom plugin jars, built at test time, loaded from {@code --plugin-path} by every command that reads bindings. */
class PluginPathTest {

    @TempDir
    Path dir;

    private Path plugins;
    private Path bindings;

    @BeforeEach
    void folders() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        bindings = Files.writeString(dir.resolve("stamp.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp-it}
            spec: {plugin: stamp, priority: 1, config: {value: stamped}}
            """);
    }

    @Test
    void pluginsListsACustomPluginWithItsJarAndTheBuiltInsAsBuiltIn() throws Exception {
        // given
        final Path jar = PluginJars.stampPlugin(plugins.resolve("stamp-1.0.jar"), "com.example.stamp", "stamp");

        // when
        final CliTest.Run json = sluice("plugins", "--plugin-path", plugins.toString(), "-o", "json");
        final CliTest.Run table = sluice("plugins", "--plugin-path", plugins.toString());

        // then
        assertEquals(0, json.status(), json.err());
        final Map<String, JsonNode> byType = byType(json.outLines());
        assertEquals(jar.toString(), byType.get("stamp").get("source").asText());
        assertEquals("com.example.stamp.StampFactory", byType.get("stamp").get("class").asText());
        assertEquals("value", byType.get("stamp").at("/fields/0/name").asText());
        assertEquals("built-in", byType.get("header-injection").get("source").asText());
        assertEquals(10, byType.size(), json.out());
        assertEquals(0, table.status(), table.err());
        assertTrue(table.outLines().contains("stamp  (" + jar + "; onError default: skip)"), table.out());
        assertTrue(table.outLines().contains("header-injection  (built-in; onError default: skip)"), table.out());
    }

    @Test
    void bindingsAndResolveValidateACustomPluginOnlyWhenItsJarIsOnThePluginPath() throws Exception {
        // given
        PluginJars.stampPlugin(plugins.resolve("stamp.jar"), "com.example.stamp", "stamp");

        // when
        final CliTest.Run without = sluice("bindings", "apply", "-f", bindings.toString(), "--dry-run");
        final CliTest.Run with = sluice("bindings", "apply", "-f", bindings.toString(), "--dry-run",
            "--plugin-path", plugins.toString());
        final CliTest.Run resolve = sluice("resolve", "-f", bindings.toString(), "--plugin-path", plugins.toString(),
            "-o", "json");
        final Path invalid = Files.writeString(dir.resolve("invalid.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp-it}
            spec: {plugin: stamp, priority: 1, config: {value: 7}}
            """);
        final CliTest.Run invalidConfig = sluice("bindings", "apply", "-f", invalid.toString(), "--dry-run",
            "--plugin-path", plugins.toString());

        // then
        assertEquals(1, without.status(), without.err());
        assertTrue(without.err().contains("stamp"), without.err());
        assertEquals(0, with.status(), with.err());
        assertTrue(with.out().contains("1 binding(s) valid"), with.out());
        assertEquals(0, resolve.status(), resolve.err());
        assertEquals("stamp", Json.parse(resolve.out()).at("/chain/0/plugin").asText(), resolve.out());
        assertEquals(1, invalidConfig.status(), invalidConfig.err());
        assertTrue(invalidConfig.err().contains("spec.config.value: is required and must be a string"),
            invalidConfig.err());
    }

    @Test
    void thePluginPathComesFromTheRepeatableOptionAndAPluginMayBeAFolderOfJars() throws Exception {
        // given: one plugin as a jar in one folder, another as a sub-folder of a second folder
        PluginJars.stampPlugin(plugins.resolve("stamp.jar"), "com.example.stamp", "stamp");
        final Path other = Files.createDirectories(dir.resolve("more-plugins"));
        final Path folderPlugin = Files.createDirectories(other.resolve("seal"));
        PluginJars.stampPlugin(folderPlugin.resolve("seal-core.jar"), "com.example.seal", "seal");

        // when
        final CliTest.Run run = sluice("plugins", "-o", "json", "--plugin-path", plugins.toString(),
            "--plugin-path", other.toString());

        // then
        assertEquals(0, run.status(), run.err());
        final Map<String, JsonNode> byType = byType(run.outLines());
        assertEquals(plugins.resolve("stamp.jar").toString(), byType.get("stamp").get("source").asText());
        assertEquals(folderPlugin.toString(), byType.get("seal").get("source").asText());
    }

    @Test
    void twoJarsClaimingOneTypeIsOneLineNamingBoth() throws Exception {
        // given
        final Path first = PluginJars.stampPlugin(plugins.resolve("a-stamp.jar"), "com.example.one", "stamp");
        final Path second = PluginJars.stampPlugin(plugins.resolve("b-stamp.jar"), "com.example.two", "stamp");

        // when
        final CliTest.Run run = sluice("plugins", "--plugin-path", plugins.toString());

        // then
        assertOneLineError(run, first.toString(), second.toString(), "'stamp'");
    }

    @Test
    void aJarClaimingABuiltInTypeIsOneLineNamingIt() throws Exception {
        // given
        final Path jar = PluginJars.stampPlugin(plugins.resolve("fake.jar"), "com.example.fake", "header-injection");

        // when
        final CliTest.Run run = sluice("bindings", "apply", "-f", bindings.toString(), "--dry-run",
            "--plugin-path", plugins.toString());

        // then
        assertOneLineError(run, jar.toString(), "built-in", "'header-injection'");
    }

    @Test
    void aFileThatIsNotAJarIsOneLineNamingIt() throws Exception {
        // given
        final Path jar = Files.writeString(plugins.resolve("broken.jar"), "not a zip file");

        // when
        final CliTest.Run run = sluice("plugins", "--plugin-path", plugins.toString());

        // then
        assertOneLineError(run, jar.toString(), "not a readable jar");
    }

    @Test
    void aServiceFileNamingAMissingClassIsOneLineNamingTheJar() throws Exception {
        // given
        final Path jar = PluginJars.build(plugins.resolve("missing.jar"), Map.of(), "com.example.Missing");

        // when
        final CliTest.Run run = sluice("resolve", "-f", bindings.toString(), "--plugin-path", plugins.toString());

        // then
        assertOneLineError(run, jar.toString(), "com.example.Missing");
    }

    @Test
    void aFactoryThatFailsToStartIsOneLineNamingTheJar() throws Exception {
        // given: a factory whose constructor throws
        final String source = PluginJars.stampFactory("com.example.boom", "boom")
            .replace("public final class StampFactory implements InterceptorFactory {",
                "public final class StampFactory implements InterceptorFactory {\n"
                    + "    public StampFactory() { throw new IllegalStateException(\"no licence key\"); }");
        final Path jar = PluginJars.build(plugins.resolve("boom.jar"), Map.of("com.example.boom.StampFactory", source),
            "com.example.boom.StampFactory");

        // when
        final CliTest.Run run = sluice("plugins", "--plugin-path", plugins.toString());

        // then
        assertOneLineError(run, jar.toString(), "no licence key");
    }

    @Test
    void aMissingPluginFolderIsOneLine() {
        // when
        final CliTest.Run run = sluice("plugins", "--plugin-path", dir.resolve("nowhere").toString());

        // then
        assertOneLineError(run, dir.resolve("nowhere").toString(), "no such folder");
    }

    @Test
    void theConsoleTakesThePluginPathToo() throws Exception {
        // when
        final CliTest.Run run = sluice("console", "--console-port", Integer.toString(io.sluice.testkit.FreePorts.freePortPair()),
            "--bootstrap-servers", "localhost:1", "--plugin-path", dir.resolve("nowhere").toString());

        // then: the plugins are loaded before anything connects
        assertOneLineError(run, dir.resolve("nowhere").toString(), "no such folder");
    }

    private static void assertOneLineError(final CliTest.Run run, final String... mentions) {
        assertEquals(1, run.status(), run.err());
        final List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("sluice: "), run.err());
        for (final String mention : mentions) {
            assertTrue(lines.get(0).contains(mention), mention + " in: " + run.err());
        }
    }

    private static Map<String, JsonNode> byType(final List<String> lines) throws Exception {
        final Map<String, JsonNode> byType = new java.util.TreeMap<>();
        for (final String line : lines) {
            final JsonNode node = Json.parse(line);
            byType.put(node.get("type").asText(), node);
        }
        return byType;
    }
}

package io.sluice.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.spi.OnError;

/** Every rule of a binding resource (README, "Bindings"),, read from files as {@code bindings apply} reads them. */
class BindingValidationTest {

    static final String VALID = """
        apiVersion: sluice/v1
        kind: Interceptor
        metadata:
          name: add-trace-id
          scope: {vcluster: payments, group: analysts}
        spec:
          plugin: header-injection
          priority: 10
          topics: orders\\..*
          onError: reject
          config:
            headers:
              x-trace-id: "{{uuid}}"
        """;

    @TempDir
    Path dir;

    @Test
    void readsAValidResource() throws IOException {
        // given
        final Path file = write("bindings.yaml", VALID);

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(), result.problems());
        final Binding binding = result.bindings().get(0);
        assertEquals(new BindingId("add-trace-id", new BindingScope("payments", "analysts", null)), binding.id());
        assertEquals("header-injection", binding.plugin());
        assertEquals(10, binding.priority());
        assertEquals("orders\\..*", binding.topicsText());
        assertTrue(binding.appliesToTopic("orders.eu") && !binding.appliesToTopic("orders"));
        assertEquals(OnError.REJECT, binding.onError());
        assertEquals("{{uuid}}", binding.config().path("headers").path("x-trace-id").textValue());
        assertEquals(List.of(new BindingResources.Resource(file + "#1", binding)), result.resources());
    }

    @Test
    void leavesOutOptionalFields() throws IOException {
        // given
        final Path file = write("minimal.yaml", """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata:
              name: mask
            spec:
              plugin: field-masking
              priority: 0
            """);

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(), result.problems());
        assertEquals(new Binding(new BindingId("mask", BindingScope.GLOBAL), "field-masking", 0, null, null, Json.object()),
            result.bindings().get(0));
    }

    @Test
    void findsAPluginByItsFactoryClassName() throws IOException {
        // given
        final Path file = write("custom.yaml", VALID.replace("plugin: header-injection",
            "plugin: " + StubPlugins.Headers.class.getName()));

        // then
        assertEquals(List.of(), BindingResources.read(file, StubPlugins.registry()).problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        apiVersion missing        | apiVersion: sluice/v1 |                               | apiVersion         | is required: sluice/v1
        apiVersion unknown        | apiVersion: sluice/v1 | apiVersion: sluice/v2         | apiVersion         | must be sluice/v1
        kind unknown              | kind: Interceptor     | kind: Filter                  | kind               | must be Interceptor
        unknown top-level field   | kind: Interceptor     | kind: Interceptor~status: {}  | status             | unknown field (expected apiVersion, kind, metadata, spec)
        unknown metadata field    | name: add-trace-id    | name: add-trace-id~  labels: {} | metadata.labels  | unknown field (expected name, scope)
        name missing              | name: add-trace-id    |                               | metadata.name      | is required
        name with a space         | name: add-trace-id    | name: add trace id            | metadata.name      | must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'
        name not a string         | name: add-trace-id    | 'name: [a, b]'                | metadata.name      | must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'
        scope not an object       | scope: {vcluster: payments, group: analysts} | scope: payments | metadata.scope | must be an object with vcluster, group and/or username (omit it for global)
        scope value not a string  | vcluster: payments    | vcluster: 42                  | metadata.scope.vcluster | must be a string
        scope value empty         | group: analysts       | group: ''                     | metadata.scope.group | must not be empty (omit it to match every group)
        unknown scope field       | group: analysts       | team: analysts                | metadata.scope.team | unknown field (expected vcluster, group, username)
        vcluster with a slash     | vcluster: payments    | vcluster: pay/ments           | metadata.scope.vcluster | must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'
        group with a comma        | group: analysts       | group: 'a,b'                  | metadata.scope.group | must not contain a comma (sluice-groups is a comma-separated list)
        group with outer spaces   | group: analysts       | group: ' analysts'            | metadata.scope.group | must not start or end with white space
        username with a newline   | group: analysts       | username: "al\\nice"         | metadata.scope.username | must not contain control characters
        group and username        | group: analysts       | group: analysts, username: alice | metadata.scope  | sets both group and username: a scope names a group or a user, not both
        plugin missing            | plugin: header-injection |                            | spec.plugin        | is required: a plugin type (see sluice plugins) or a factory class name
        plugin unknown            | plugin: header-injection | plugin: header-inject      | spec.plugin        | unknown plugin 'header-inject' (known: broken, field-masking, header-injection)
        priority missing          | priority: 10          |                               | spec.priority      | is required: an integer >= 0, lower runs first
        priority a string         | priority: 10          | priority: '10'                | spec.priority      | must be an integer >= 0
        priority a fraction       | priority: 10          | priority: 1.5                 | spec.priority      | must be an integer >= 0
        priority negative         | priority: 10          | priority: -1                  | spec.priority      | must be >= 0
        priority too large        | priority: 10          | priority: 2147483648          | spec.priority      | must be at most 2147483647
        unknown spec field        | priority: 10          | priority: 10~  priorty: 5     | spec.priorty       | unknown field (did you mean priority?)
        topics not a regex        | topics: orders\\..*    | topics: orders[               | spec.topics        | is not a valid Java regex: Unclosed character class near index 6
        topics empty              | topics: orders\\..*    | topics: ''                    | spec.topics        | must not be empty (omit it to run on every topic)
        topics not a string       | topics: orders\\..*    | 'topics: [a, b]'              | spec.topics        | must be a string: a Java regex the whole ingress topic name must match
        onError unknown           | onError: reject       | onError: retry                | spec.onError       | must be skip or reject (omit it for the plugin's default)
        onError upper case        | onError: reject       | onError: REJECT               | spec.onError       | must be skip or reject (omit it for the plugin's default)
        plugin config problem     | x-trace-id: "{{uuid}}" | x-trace-id: 42               | spec.config.headers.x-trace-id | must be a string template
        """)
    void reportsEachKindOfProblem(final String rule, final String line, final String replacement, final String field,
                                  final String message) throws IOException {
        // given
        assertTrue(VALID.contains(line), line);
        final String yaml = VALID.replace(line, replacement == null ? "" : replacement.replace('~', '\n'));
        final Path file = write("bindings.yaml", yaml);

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(new Problem(file + "#1" + (yaml.contains("name: add-trace-id") ? " (add-trace-id)" : ""), field, message)),
            result.problems(), rule + " in:\n" + yaml);
        assertEquals(List.of(), result.bindings());
        assertFalse(result.isValid());
    }

    @Test
    void reportsAMissingMetadataAndSpec() throws IOException {
        // given
        final Path file = write("bindings.yaml", "apiVersion: sluice/v1\nkind: Interceptor\n");

        // when
        final List<Problem> problems = BindingResources.read(file, StubPlugins.registry()).problems();

        // then
        assertEquals(List.of(
            new Problem(file + "#1", "metadata", "is required, with at least a name"),
            new Problem(file + "#1", "spec", "is required, with at least plugin and priority")), problems);
    }

    @Test
    void reportsAConfigThatIsNotAnObject() throws IOException {
        // given
        final Path file = write("bindings.yaml", VALID.substring(0, VALID.indexOf("  config:")) + "  config: [1]\n");

        // then
        assertEquals(List.of(new Problem(file + "#1 (add-trace-id)", "spec.config", "must be an object (the plugin's settings)")),
            BindingResources.read(file, StubPlugins.registry()).problems());
    }

    @Test
    void prefixesEveryPluginConfigProblemWithSpecConfig() throws IOException {
        // given
        final Path file = write("bindings.yaml", VALID.replace("    headers:\n      x-trace-id: \"{{uuid}}\"", "    header: {}"));

        // when
        final List<Problem> problems = BindingResources.read(file, StubPlugins.registry()).problems();

        // then
        assertEquals(List.of(
            new Problem(file + "#1 (add-trace-id)", "spec.config.headers", "is required: header name to template"),
            new Problem(file + "#1 (add-trace-id)", "spec.config.header", "unknown field")), problems);
    }

    @Test
    void reportsAPluginWhoseValidationThrowsWithoutQuotingTheConfig() throws IOException {
        // given
        final Path file = write("bindings.yaml", VALID.replace("plugin: header-injection", "plugin: broken")
            .replace("{{uuid}}", StubPlugins.SECRET));

        // when
        final List<Problem> problems = BindingResources.read(file, StubPlugins.registry()).problems();

        // then
        assertEquals(List.of(new Problem(file + "#1 (add-trace-id)", "spec.config",
            "plugin broken failed to check its config (IllegalStateException)")), problems);
    }

    @Test
    void reportsADocumentThatIsNotAnObject() throws IOException {
        // given
        final Path file = write("bindings.yaml", "- apiVersion: sluice/v1\n");

        // then
        assertEquals(List.of(new Problem(file + "#1", null, "a resource must be an object with apiVersion, kind, metadata and spec")),
            BindingResources.read(file, StubPlugins.registry()).problems());
    }

    @Test
    void reportsAFileThatIsNotYaml() throws IOException {
        // given
        final Path file = write("bindings.yaml", "apiVersion: sluice/v1\nkind: [Interceptor\n");

        // when
        final List<Problem> problems = BindingResources.read(file, StubPlugins.registry()).problems();

        // then
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).source().startsWith(file.toString()), problems.toString());
        assertTrue(problems.get(0).message().startsWith("not valid YAML"), problems.toString());
    }

    @Test
    void reportsEveryProblemOfEveryResourceOfAFileAtOnce() throws IOException {
        // given
        final Path file = write("bindings.yaml", VALID + "---\n" + """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata:
              name: mask-cards
              scope: {group: analysts, username: alice}
            spec:
              plugin: field-mask
              priority: -5
              onError: later
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata:
              name: bad name
            spec:
              plugin: header-injection
              priority: 1
              topics: "("
              config: {headers: {x-a: 1}}
            """);

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(
            new Problem(file + "#2 (mask-cards)", "metadata.scope", "sets both group and username: a scope names a group or a user, not both"),
            new Problem(file + "#2 (mask-cards)", "spec.plugin", "unknown plugin 'field-mask' (known: broken, field-masking, header-injection)"),
            new Problem(file + "#2 (mask-cards)", "spec.priority", "must be >= 0"),
            new Problem(file + "#2 (mask-cards)", "spec.onError", "must be skip or reject (omit it for the plugin's default)"),
            new Problem(file + "#3", "metadata.name", "must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'"),
            new Problem(file + "#3", "spec.topics", "is not a valid Java regex: Unclosed group near index 1"),
            new Problem(file + "#3", "spec.config.headers.x-a", "must be a string template")), result.problems());
        assertEquals(List.of("add-trace-id"), result.bindings().stream().map(Binding::name).toList());
        assertEquals(file + "#2 (mask-cards): spec.priority: must be >= 0", result.problems().get(2).toString());
    }

    @Test
    void skipsEmptyDocumentsAsTemplatingToolsWriteThemAndNumbersTheRestByPosition() throws IOException {
        // given: a leading ---, a comments-only document (a template rendered to nothing) and a trailing ---
        final Path file = write("rendered.yaml", "---\n" + VALID + """
            ---
            # Source: sluice-bindings/templates/disabled.yaml
            ---
            """ + VALID.replace("priority: 10", "priority: -1").replace("group: analysts", "group: ops") + "---\n");

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then: only the real problem, at the third document as a person counts them
        assertEquals(List.of(new Problem(file + "#3 (add-trace-id)", "spec.priority", "must be >= 0")), result.problems());
        assertEquals(List.of(file + "#1"), result.resources().stream().map(BindingResources.Resource::source).toList());
    }

    @Test
    void readsJsonFilesWithOneObjectOrAnArray() throws IOException {
        // given
        final String one = Json.line(Json.YAML.readTree(VALID));
        final String other = one.replace("add-trace-id", "other");
        write("one.json", one);
        write("many.json", "[" + other + ", " + other.replace("\"other\"", "\"third\"") + "]");

        // when
        final BindingResources.Result result = BindingResources.read(dir, StubPlugins.registry());

        // then: files in name order, resources in file order
        assertEquals(List.of(), result.problems());
        assertEquals(List.of(dir.resolve("many.json") + "#1", dir.resolve("many.json") + "#2", dir.resolve("one.json") + "#1"),
            result.resources().stream().map(BindingResources.Resource::source).toList());
        assertEquals(List.of("other", "third", "add-trace-id"), result.bindings().stream().map(Binding::name).toList());
    }

    @Test
    void readsAFolderOfYamlAndJsonAndIgnoresOtherFiles() throws IOException {
        // given
        write("a/global.yaml", VALID.replace("  scope: {vcluster: payments, group: analysts}\n", ""));
        write("b/team.yml", VALID + "---\n" + VALID.replace("group: analysts", "username: alice"));
        write("notes.txt", "not a resource");

        // when
        final BindingResources.Result result = BindingResources.read(dir, StubPlugins.registry());

        // then
        assertEquals(List.of(), result.problems());
        assertEquals(List.of(BindingScope.GLOBAL, new BindingScope("payments", "analysts", null), new BindingScope("payments", null, "alice")),
            result.bindings().stream().map(Binding::scope).toList());
    }

    @Test
    void reportsTheSameIdentityTwiceInOneApplyAtBothPlaces() throws IOException {
        // given: the same name and scope in two files; the same name at another scope is an override, not a duplicate
        final Path first = write("first.yaml", VALID);
        final Path second = write("second.yaml", VALID.replace("priority: 10", "priority: 20")
            + "---\n" + VALID.replace("group: analysts", "group: ops"));

        // when
        final BindingResources.Result result = BindingResources.read(dir, StubPlugins.registry());

        // then
        final String message = "the same interceptor (name add-trace-id, scope vcluster=payments,group=analysts) is also defined at ";
        assertEquals(List.of(
            new Problem(first + "#1 (add-trace-id)", "metadata", message + second + "#1 (add-trace-id)"),
            new Problem(second + "#1 (add-trace-id)", "metadata", message + first + "#1 (add-trace-id)")), result.problems());
        assertEquals(List.of(new BindingScope("payments", "ops", null)), result.bindings().stream().map(Binding::scope).toList());
    }

    @Test
    void reportsAMissingFile() {
        // when
        final List<Problem> problems = BindingResources.read(dir.resolve("nope.yaml"), StubPlugins.registry()).problems();

        // then
        assertEquals(List.of(new Problem(dir.resolve("nope.yaml").toString(), null, "no such file or folder")), problems);
    }

    @Test
    void showsOnlyValidNamesInSources() throws IOException {
        // given: a name with a line break must not break the one-line error
        final Path file = write("bindings.yaml", VALID.replace("name: add-trace-id", "name: \"evil\\nname\"")
            .replace("plugin: header-injection", "plugin: \"x\\ny\""));

        // when
        final List<Problem> problems = BindingResources.read(file, StubPlugins.registry()).problems();

        // then
        assertEquals(file + "#1", problems.get(0).source());
        assertTrue(Pattern.compile("\\R").matcher(problems.toString()).results().findAny().isEmpty(), problems.toString());
    }

    private Path write(final String name, final String content) throws IOException {
        final Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}

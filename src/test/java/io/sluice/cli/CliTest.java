package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;

/** The command line as a user drives it, without a broker: outputs, exit statuses, one-line errors. */
class CliTest {

    private static final String EXAMPLES = "topologies/examples/bindings";

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    static Run sluice(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void resolvePrintsTheChainAsTheSpecifiedJson() {
        // when
        final Run run = sluice("resolve", "-f", EXAMPLES, "--vcluster", "conduktor", "--user", "bob", "-o", "json");

        // then: the seed's example — topicProtection overridden for the vcluster conduktor — after add-trace-id
        assertEquals(0, run.status(), run.err());
        assertEquals("{\"chain\":["
            + "{\"name\":\"add-trace-id\",\"plugin\":\"header-injection\",\"priority\":1,\"level\":\"global\","
            + "\"scope\":{\"vcluster\":null,\"group\":null,\"username\":null}},"
            + "{\"name\":\"topicProtection\",\"plugin\":\"header-injection\",\"priority\":12,\"level\":\"vcluster\","
            + "\"scope\":{\"vcluster\":\"conduktor\",\"group\":null,\"username\":null}}]}", run.out().strip());
    }

    @Test
    void resolveRunsOneInstancePerMatchingGroupAndAppliesTopicFilters() throws Exception {
        // when
        final Run onOrders = sluice("resolve", "-f", EXAMPLES, "--vcluster", "payments", "--user", "alice",
            "--groups", "analysts,auditors", "--topic", "orders.in", "-o", "json");
        final Run elsewhere = sluice("resolve", "-f", EXAMPLES, "--vcluster", "payments", "--user", "alice",
            "--groups", "analysts,auditors", "--topic", "refunds.in", "-o", "json");

        // then
        assertEquals(List.of("add-trace-id", "strip-internal", "topicProtection", "tag-team:analysts",
            "tag-team:auditors"), names(onOrders.out()));
        assertEquals(List.of("add-trace-id", "topicProtection", "tag-team:analysts", "tag-team:auditors"),
            names(elsewhere.out()), "strip-internal only runs on orders.*, and nothing replaces it elsewhere");
    }

    @Test
    void resolveBatchPrintsOneLinePerContextInOrder() throws Exception {
        // given
        final Path contexts = Files.writeString(dir.resolve("contexts.jsonl"), """
            {"vcluster": "conduktor", "username": "bob"}
            {}
            {"vcluster": "payments", "username": "alice", "groups": ["auditors"], "topic": "orders.in"}
            """);

        // when
        final Run run = sluice("resolve", "-f", EXAMPLES, "--contexts", contexts.toString(), "-o", "json");

        // then
        assertEquals(0, run.status(), run.err());
        assertEquals(3, run.outLines().size());
        assertEquals(List.of("add-trace-id", "topicProtection"), names(run.outLines().get(1)));
        assertEquals(12, Json.parse(run.outLines().get(0)).at("/chain/1/priority").asInt());
        assertEquals(List.of("add-trace-id", "strip-internal", "topicProtection", "tag-team:auditors"),
            names(run.outLines().get(2)));
    }

    @Test
    void aBadContextLineIsOneLineNamingTheLine() throws Exception {
        // given
        final Path contexts = Files.writeString(dir.resolve("contexts.jsonl"), "{}\n{\"groups\": \"oops\"}\n");

        // when
        final Run run = sluice("resolve", "-f", EXAMPLES, "--contexts", contexts.toString(), "-o", "json");

        // then
        assertEquals(1, run.status());
        assertEquals("", run.out(), "nothing is printed when a context is bad");
        assertOneLineError(run, contexts + ":2: groups: must be an array of strings");
    }

    @Test
    void dryRunValidatesWithoutABroker() {
        // when
        final Run run = sluice("bindings", "apply", "--dry-run", "-f", EXAMPLES);

        // then
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("6 binding(s) valid; nothing published (--dry-run)"), run.out());
    }

    @Test
    void dryRunAcceptsAFileWithEmptyDocumentsAsHelmRendersIt() throws Exception {
        // given
        final Path file = Files.writeString(dir.resolve("rendered.yaml"), """
            ---
            # Source: bindings/templates/strip.yaml
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: strip}
            spec: {plugin: header-removal, priority: 1, config: {pattern: "x-.*"}}
            ---
            # Source: bindings/templates/optional.yaml
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: strip-more}
            spec: {plugin: header-removal, priority: 2, config: {pattern: "y-.*"}}
            ---
            """);

        // when
        final Run run = sluice("bindings", "apply", "--dry-run", "-f", file.toString());

        // then
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("2 binding(s) valid; nothing published (--dry-run)"), run.out());
    }

    @Test
    void applyReportsEveryProblemWithFileResourceAndFieldAndPublishesNothing() throws Exception {
        // given: two bad resources and a good one
        final Path file = Files.writeString(dir.resolve("bad.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: ok}
            spec: {plugin: header-removal, priority: 1, config: {pattern: "x-.*"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: both, scope: {group: g, username: u}}
            spec: {plugin: header-removal, priority: -1, config: {pattern: "x-.*"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: nope}
            spec: {plugin: no-such-plugin, priority: 1}
            """);

        // when: no broker is reachable on this port — nothing may even be tried
        final Run run = sluice("bindings", "apply", "-f", file.toString(), "--bootstrap-servers", "localhost:1");

        // then
        assertEquals(1, run.status());
        final List<String> errors = run.err().lines().toList();
        assertTrue(errors.stream().anyMatch(line -> line.startsWith(file + "#2 (both): metadata.scope")), run.err());
        assertTrue(errors.stream().anyMatch(line -> line.startsWith(file + "#2 (both): spec.priority")), run.err());
        assertTrue(errors.stream().anyMatch(line -> line.startsWith(file + "#3 (nope): spec.plugin")), run.err());
        assertTrue(errors.get(errors.size() - 1).startsWith("sluice: 3 problems in " + file + "; nothing was published"),
            run.err());
        assertNoStackTrace(run);
    }

    @Test
    void pluginsListsEveryBuiltInWithItsFields() throws Exception {
        // when
        final Run run = sluice("plugins", "-o", "json");

        // then
        assertEquals(0, run.status(), run.err());
        final List<String> types = run.outLines().stream().map(CliTest::parse).map(node -> node.get("type").asText())
            .toList();
        assertEquals(List.of("chaos", "field-decryption", "field-encryption", "field-masking", "header-injection",
            "header-removal", "produce-policy", "quota", "schema-validation"), types);
        final JsonNode headerInjection = parse(run.outLines().get(types.indexOf("header-injection")));
        assertEquals("headers", headerInjection.at("/fields/0/name").asText());
        assertEquals("reject", parse(run.outLines().get(types.indexOf("field-encryption"))).get("defaultOnError").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "broker", "resolve", "bindings", "bindings apply", "bindings delete",
        "bindings list", "produce", "plugins", "audit", "audit acks", "audit commits", "console"})
    void everyCommandHasHelp(final String command) {
        // when
        final Run run = sluice(Stream.concat(Stream.of(command.split(" ")).filter(word -> !word.isEmpty()),
            Stream.of("--help")).toArray(String[]::new));

        // then
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("Usage: sluice"), run.out());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        // when
        final Run unknown = sluice("resolve", "--no-such-flag");
        final Run yaml = sluice("resolve", "-f", EXAMPLES, "-o", "yaml");
        final Run exclusive = sluice("bindings", "delete", "x", "--group", "g", "--username", "u");

        // then
        for (final Run run : List.of(unknown, yaml, exclusive)) {
            assertEquals(2, run.status(), run.err());
            assertTrue(run.err().lines().findFirst().orElseThrow().startsWith("sluice: "), run.err());
            assertNoStackTrace(run);
        }
    }

    @Test
    void aMissingFileIsOneLine() {
        // when
        final Run run = sluice("resolve", "-f", dir.resolve("missing.yaml").toString());

        // then
        assertEquals(1, run.status());
        assertTrue(run.err().contains("missing.yaml: no such file or folder"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void anInvalidTopologyFileFailsFastNamingTheField() throws Exception {
        // given
        final Path topology = Files.writeString(dir.resolve("topology.yaml"), """
            processingGuarantee: maybe
            routes:
              - ingress: a.in
            """);

        // when
        final Run run = sluice("run", "--topology", topology.toString(), "--bootstrap-servers", "localhost:1");

        // then
        assertEquals(1, run.status());
        assertTrue(run.err().contains("processingGuarantee"), run.err());
        assertTrue(run.err().contains("routes[0].egress"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    private static List<String> names(final String json) {
        return Stream.of(parse(json.strip()).get("chain")).flatMap(chain -> {
            final List<String> names = new java.util.ArrayList<>();
            chain.forEach(item -> names.add(item.get("name").asText()
                + (item.get("level").asText().equals("group") ? ":" + item.at("/scope/group").asText() : "")));
            return names.stream();
        }).toList();
    }

    private static JsonNode parse(final String line) {
        try {
            return Json.parse(line);
        } catch (final Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static void assertOneLineError(final Run run, final String expected) {
        assertEquals("sluice: " + expected, run.err().strip());
    }

    private static void assertNoStackTrace(final Run run) {
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}

package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.common.Problem;
import io.sluice.topology.TopologyFile.AuditTopics;

class TopologyFilesTest {

    private static final String ROUTE = "routes: [{ingress: a.in, egress: a.out}]\n";

    @TempDir
    Path folder;

    @Test
    void theDefaultFileIsTheSpecExample() {
        // when
        final TopologyFiles.Result result = TopologyFiles.read(TopologyFiles.DEFAULT_FILE);

        // then
        assertEquals(List.of(), result.problems());
        assertEquals(new TopologyFile("sluice", "_sluice_bindings",
            new AuditTopics("_sluice_audit_acks", "_sluice_audit_commits"), "_sluice_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(
                new Route("orders.in", "orders.out", "payments", false),
                new Route("tenant-(?<vcluster>[a-z0-9-]+)\\.in", "tenant-${vcluster}.out", null, false),
                new Route("shared.in", "shared.out", null, true))),
            result.topology());
    }

    @Test
    void omittedFieldsTakeTheDefaults() throws IOException {
        // when
        final TopologyFile topology = valid(ROUTE);

        // then
        assertEquals(new TopologyFile("sluice", "_sluice_bindings", AuditTopics.DEFAULT, "_sluice_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(new Route("a.in", "a.out", null, false))), topology);
    }

    @Test
    void everyFieldCanBeSet() throws IOException {
        // when
        final TopologyFile topology = valid("""
            applicationId: app-1
            configTopic: cfg
            auditTopics: {acks: acks, commits: commits}
            rejectedTopic: rejected
            processingGuarantee: at_least_once
            routes:
              - {ingress: a.in, egress: a.out, vcluster: v1}
            """);

        // then
        assertEquals(new TopologyFile("app-1", "cfg", new AuditTopics("acks", "commits"), "rejected",
            ProcessingGuarantee.AT_LEAST_ONCE, List.of(new Route("a.in", "a.out", "v1", false))), topology);
    }

    @Test
    void replicationIsTheBrokersUnlessSet() throws IOException {
        assertEquals(TopologyFile.Replication.BROKER_DEFAULTS, valid(ROUTE).replication());
        assertEquals(new TopologyFile.Replication(3, 2),
            valid("replication: {factor: 3, minInsyncReplicas: 2}\n" + ROUTE).replication());
        assertEquals(new TopologyFile.Replication(null, 2), valid("replication: {minInsyncReplicas: 2}\n" + ROUTE).replication());
    }

    @Test
    void replicationNeedsWholeNumbersAndAMinimumTheFactorCanMeet() throws IOException {
        assertEquals(List.of("replication.factor: must be a whole number from 1 to 32767",
                "replication.minInsyncReplicas: must be a whole number from 1 to 32767"),
            problems("replication: {factor: 0, minInsyncReplicas: two}\n" + ROUTE));
        assertEquals(List.of("replication.minInsyncReplicas: 3 is more than replication.factor 2: no write could ever succeed"),
            problems("replication: {factor: 2, minInsyncReplicas: 3}\n" + ROUTE));
        assertEquals(List.of("replication.replicas: unknown field; known fields here: [factor, minInsyncReplicas]"),
            problems("replication: {replicas: 3}\n" + ROUTE));
        assertEquals(List.of("replication: must be an object with the fields [factor, minInsyncReplicas]"),
            problems("replication: 3\n" + ROUTE));
    }

    @Test
    void aPartialAuditTopicsObjectKeepsTheOtherDefault() throws IOException {
        assertEquals(new AuditTopics("acks", "_sluice_audit_commits"),
            valid("auditTopics: {acks: acks}\n" + ROUTE).auditTopics());
    }

    @Test
    void ackEventsAreBatchedUnlessSetOrARegistryIsThereForThirdPartyReaders() throws IOException {
        assertTrue(valid(ROUTE).batchedAcks(), "no registry: batched");
        assertFalse(valid("schemaRegistry: {url: \"http://registry:8081\"}\n" + ROUTE).batchedAcks(),
            "a registry: one event per record");
        assertFalse(valid("auditTopics: {ackEvents: single}\n" + ROUTE).batchedAcks());
        assertTrue(valid("auditTopics: {ackEvents: batched}\nschemaRegistry: {url: \"http://registry:8081\"}\n"
            + ROUTE).batchedAcks(), "set explicitly, with a registry too");
        assertEquals(List.of("auditTopics.ackEvents: 'one' is not one of batched, single"),
            problems("auditTopics: {ackEvents: one}\n" + ROUTE));
    }

    @Test
    void jsonFilesWorkToo() throws IOException {
        // given
        final Path file = folder.resolve("t.json");
        Files.writeString(file, "{\"routes\": [{\"ingress\": \"a.in\", \"egress\": \"a.out\"}]}");

        // then
        assertTrue(TopologyFiles.read(file).isValid());
    }

    @Test
    void aTopicLikeIngressIsOneTopicAndAnythingElseIsARegex() {
        assertFalse(new Route("orders.in", "x", null, false).isPattern());
        assertFalse(new Route("Orders_2-in", "x", null, false).isPattern());
        assertTrue(new Route("orders\\.in", "x", null, false).isPattern());
        assertTrue(new Route("orders.*", "x", null, false).isPattern());
        assertTrue(new Route("a|b", "x", null, false).isPattern());
    }

    // ---- one test per kind of problem

    @Test
    void unknownFieldsAreProblemsWherever() throws IOException {
        assertEquals(List.of(
                "color: unknown field; known fields here: [applicationId, auditTopics, configTopic, keyTopic, keyrings, processingGuarantee, rejectedTopic, replication, routes, schemaRegistry]",
                "auditTopics.ack: unknown field; known fields here: [ackEvents, acks, commits]",
                "routes[0].vclusterfrom: unknown field; known fields here: [egress, identity, identityKeyEnv, identityKeyFile, ingress, vcluster, vclusterFrom]"),
            problems("""
                color: blue
                auditTopics: {ack: x}
                routes: [{ingress: a.in, egress: a.out, vclusterfrom: header}]
                """));
    }

    @Test
    void badTopicNamesAreProblems() throws IOException {
        assertEquals(List.of(
                "configTopic: a topic name is invalid: 'my bindings' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
                "rejectedTopic: a topic name is invalid: the empty string is not allowed",
                "routes[0].ingress: a topic name is invalid: '..' is not allowed",
                "routes[1].egress: a topic name is invalid: 'b out' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
                "routes[2].egress: a topic name template is invalid: 'c x' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            problems("""
                configTopic: my bindings
                rejectedTopic: ""
                routes:
                  - {ingress: "..", egress: a.out}
                  - {ingress: b.in, egress: b out}
                  - {ingress: "c(?<v>.+)", egress: "c ${v}"}
                """));
    }

    @Test
    void anInvalidApplicationIdIsAProblem() throws IOException {
        assertEquals(List.of("applicationId: an application id (a prefix of topic names) is invalid: "
                + "'my app' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"),
            problems("applicationId: my app\n" + ROUTE));
    }

    @Test
    void anUnknownProcessingGuaranteeIsAProblem() throws IOException {
        assertEquals(List.of("processingGuarantee: 'exactly_once' is not one of exactly_once_v2, at_least_once"),
            problems("processingGuarantee: exactly_once\n" + ROUTE));
    }

    @Test
    void fieldsThatAreNotStringsAreProblems() throws IOException {
        assertEquals(List.of("configTopic: must be a string (quote it)", "routes[0].egress: must be a string (quote it)"),
            problems("configTopic: {name: x}\nroutes: [{ingress: a.in, egress: 42}]\n"));
    }

    @Test
    void routesAreRequiredAndMustHoldRoutes() throws IOException {
        assertEquals(List.of("routes: is required: at least one route from an ingress to an egress topic"),
            problems("applicationId: x\n"));
        assertEquals(List.of("routes: must be a list of at least one route ({ingress, egress, ...})"),
            problems("routes: []\n"));
        assertEquals(List.of("routes[0]: must be an object with the fields [egress, identity, identityKeyEnv, identityKeyFile, ingress, vcluster, vclusterFrom]",
                "routes[1].ingress: is required", "routes[1].egress: is required"),
            problems("routes: [a.in, {vcluster: v}]\n"));
    }

    @Test
    void aPlaceholderNeedsAMatchingNamedGroup() throws IOException {
        assertEquals(List.of(
                "routes[0].egress: '${vcluster}' needs an ingress pattern with a named group (?<vcluster>...)",
                "routes[1].egress: '${tenant}' has no named group (?<tenant>...) in the ingress pattern",
                "routes[2].egress: '${' is not closed with '}'",
                "routes[3].egress: '${}' names no group"),
            problems("""
                routes:
                  - {ingress: a.in, egress: "a-${vcluster}"}
                  - {ingress: "b-(?<vcluster>.+)", egress: "b-${tenant}"}
                  - {ingress: "c-(?<v>.+)", egress: "c-${v"}
                  - {ingress: "d-(?<v>.+)", egress: "d-${}"}
                """));
    }

    @Test
    void aRouteTakesItsVclusterFromOnePlace() throws IOException {
        assertEquals(List.of(
                "routes[0].vcluster: a fixed vcluster and vclusterFrom exclude each other; keep one",
                "routes[1].vcluster: a fixed vcluster and the ingress group (?<vcluster>...) exclude each other; keep one",
                "routes[2].vclusterFrom: the header and the ingress group (?<vcluster>...) exclude each other; keep one",
                "routes[3].vclusterFrom: 'topic' is not 'header' (the only source besides a fixed vcluster and a (?<vcluster>...) group)",
                "routes[4].vcluster: must not be empty"),
            problems("""
                routes:
                  - {ingress: a.in, egress: a.out, vcluster: v, vclusterFrom: header}
                  - {ingress: "b-(?<vcluster>.+)", egress: "b.out", vcluster: v}
                  - {ingress: "c-(?<vcluster>.+)", egress: "c.out", vclusterFrom: header}
                  - {ingress: d.in, egress: d.out, vclusterFrom: topic}
                  - {ingress: e.in, egress: e.out, vcluster: ""}
                """));
    }

    @Test
    void anEgressMayNotBeItsIngressOrATopicSluiceOwns() throws IOException {
        assertEquals(List.of(
                "routes[1].egress: 'b' is the configTopic: egress records would mix with it",
                "routes[2].egress: 'c' is the auditTopics.commits: egress records would mix with it",
                "routes[3].egress: 'r' is the rejectedTopic: egress records would mix with it",
                "routes[0].egress: 'a.in' is read by this route's own ingress; Sluice would read its own output",
                "routes[4].egress: 'p.x' is read by this route's own ingress; Sluice would read its own output"),
            problems("""
                configTopic: b
                auditTopics: {commits: c}
                rejectedTopic: r
                routes:
                  - {ingress: a.in, egress: a.in}
                  - {ingress: b.in, egress: b}
                  - {ingress: c.in, egress: c}
                  - {ingress: r.in, egress: r}
                  - {ingress: "p\\\\..*", egress: p.x}
                """));
    }

    @Test
    void routesMayFormAChainWhereOneReadsAnothersEgress() throws IOException {
        // when: a decrypted view of an encrypted topic, and a fixed egress read by a pattern route
        final TopologyFile topology = valid("""
            routes:
              - {ingress: orders.in, egress: orders.out, vcluster: payments}
              - {ingress: orders.out, egress: orders.clear, vcluster: payments}
              - {ingress: a.in, egress: b.in}
              - {ingress: "(tenant-.+|b)\\\\.in", egress: c.out}
              - {ingress: d.in, egress: tenant-x.in}
            """);

        // then
        assertEquals(List.of("orders.in", "orders.out", "a.in", "(tenant-.+|b)\\.in", "d.in"),
            topology.routes().stream().map(Route::ingress).toList());
    }

    @Test
    void aCycleOfRoutesIsRefusedOnceNamingEveryRouteInIt() throws IOException {
        assertEquals(List.of(
                "routes[0].egress: 'b.in' leads back to this route, a cycle: routes[0] (a.in -> b.in) -> "
                    + "routes[1] (b.in -> c.in) -> routes[2] (c.in -> a.in) -> routes[0]; "
                    + "routes may form a chain, not a cycle",
                "routes[3].egress: 'x-1.in' leads back to this route, a cycle: routes[3] (p.in -> x-1.in) -> "
                    + "routes[4] (x-(?<vcluster>[0-9]+)\\.in -> p.in) -> routes[3]; routes may form a chain, not a cycle"),
            problems("""
                routes:
                  - {ingress: a.in, egress: b.in}
                  - {ingress: b.in, egress: c.in}
                  - {ingress: c.in, egress: a.in}
                  - {ingress: p.in, egress: x-1.in}
                  - {ingress: "x-(?<vcluster>[0-9]+)\\\\.in", egress: p.in}
                  - {ingress: z.in, egress: a.in}
                """));
    }

    @Test
    void aCycleThroughATemplatedEgressIsLeftToTheRunTimeCheck() throws IOException {
        // when: t-x.in -> t-x.mid -> t-x.in only shows with a real topic name
        final TopologyFile topology = valid("""
            routes:
              - {ingress: "t-(?<vcluster>[a-z]+)\\\\.in", egress: "t-${vcluster}.mid"}
              - {ingress: "t-(?<vcluster>[a-z]+)\\\\.mid", egress: "t-${vcluster}.in"}
            """);

        // then
        assertEquals(2, topology.routes().size());
    }

    @Test
    void anIngressMayNotBeATopicSluiceWrites() throws IOException {
        assertEquals(List.of("routes[0].ingress: '_sluice_audit_acks' is the auditTopics.acks, which Sluice writes"),
            problems("routes: [{ingress: _sluice_audit_acks, egress: x}]\n"));
    }

    @Test
    void twoRoutesMayNotClaimTheSameIngress() throws IOException {
        assertEquals(List.of(
                "routes[1].ingress: 'a.in' is already the ingress of routes[0]; a topic has one route",
                "routes[3].ingress: 'p-.*' is already the ingress of routes[2]; a topic has one route"),
            problems("""
                routes:
                  - {ingress: a.in, egress: a.out}
                  - {ingress: a.in, egress: a.out2}
                  - {ingress: "p-.*", egress: p.out}
                  - {ingress: "p-.*", egress: p.out2}
                """));
    }

    @Test
    void twoOwnTopicsMayNotBeTheSame() throws IOException {
        assertEquals(List.of("rejectedTopic: 'x' is already the configTopic; each of Sluice's topics has one use"),
            problems("configTopic: x\nrejectedTopic: x\n" + ROUTE));
    }

    @Test
    void anInvalidRegexIsAProblemAndItsPlaceholdersAreNotCheckedAgain() throws IOException {
        assertEquals(List.of("routes[0].ingress: not a valid Java regex: Unclosed group at index 15 "
                + "(an ingress with characters other than [a-zA-Z0-9._-] is a regex)"),
            problems("routes: [{ingress: \"t-(?<vcluster>x\", egress: \"t-${vcluster}\"}]\n"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheFileName() throws IOException {
        // given
        final Path file = write("""
            applicationId: "a b"
            processingGuarantee: twice
            routes:
              - {ingress: a.in, egress: a.in, color: red}
              - {ingress: "t-(?<vcluster>[a-z]+)", egress: "t-${vclustr}", vcluster: x}
            """);

        // when
        final TopologyFiles.Result result = TopologyFiles.read(file);

        // then
        assertNull(result.topology());
        assertEquals(6, result.problems().size(), result.problems().toString());
        result.problems().forEach(problem -> assertTrue(problem.toString().startsWith(file + ": "), problem.toString()));
        assertEquals(List.of("applicationId", "processingGuarantee", "routes[0].color", "routes[1].egress",
            "routes[1].vcluster", "routes[0].egress"), result.problems().stream().map(Problem::field).toList());
    }

    @Test
    void emptyDocumentsAroundTheTopologyAreSkipped() throws IOException {
        // when: as a templating tool writes it
        final TopologyFile topology = valid("---\n# Source: sluice/templates/topology.yaml\n" + ROUTE + "---\n# nothing\n---\n");

        // then
        assertEquals(List.of(new Route("a.in", "a.out", null, false)), topology.routes());
    }

    @Test
    void unreadableFilesAreProblemsToo() throws IOException {
        assertEquals(List.of("not valid YAML"), TopologyFiles.read(write("routes: [")).problems().stream()
            .map(problem -> problem.message().substring(0, "not valid YAML".length())).toList());
        assertEquals(List.of(folder.resolve("missing.yaml") + ": no such file or folder"),
            TopologyFiles.read(folder.resolve("missing.yaml")).problems().stream().map(Problem::toString).toList());
        assertEquals(List.of("a topology file holds exactly one document, not 2"),
            TopologyFiles.read(write(ROUTE + "---\n" + ROUTE)).problems().stream().map(Problem::message).toList());
        assertEquals(List.of("a topology file is one object with the fields "
                + "[applicationId, auditTopics, configTopic, keyTopic, keyrings, processingGuarantee, rejectedTopic, replication, routes, schemaRegistry]"),
            TopologyFiles.read(write("- a\n")).problems().stream().map(Problem::message).toList());
    }

    @Test
    void aSchemaRegistryIsReadWithItsTimeout() throws IOException {
        // when
        final TopologyFile topology = valid(ROUTE + "schemaRegistry: {url: 'http://registry:8081', timeout: 5s}\n");

        // then
        assertEquals(java.net.URI.create("http://registry:8081"), topology.schemaRegistry().url());
        assertEquals(java.time.Duration.ofSeconds(5), topology.schemaRegistry().timeout());
        assertEquals(null, valid(ROUTE).schemaRegistry(), "none unless configured (or SLUICE_SCHEMA_REGISTRY_URL is set)");
    }

    @Test
    void schemaRegistryProblemsNameTheirField() throws IOException {
        assertEquals(List.of("schemaRegistry.url: 'registry:8081' is not an http:// or https:// URL with a host",
                "schemaRegistry.basicAuth: needs the password from exactly one of passwordFile and passwordEnv"),
            problems(ROUTE + "schemaRegistry: {url: 'registry:8081', basicAuth: {username: u}}\n"));
    }

    // ---- helpers

    private TopologyFile valid(final String yaml) throws IOException {
        final TopologyFiles.Result result = TopologyFiles.read(write(yaml));
        assertEquals(List.of(), result.problems());
        return result.topology();
    }

    /** The problems of that file as {@code field: message}. */
    private List<String> problems(final String yaml) throws IOException {
        final TopologyFiles.Result result = TopologyFiles.read(write(yaml));
        assertFalse(result.isValid());
        return result.problems().stream().map(problem -> problem.field() + ": " + problem.message()).toList();
    }

    private Path write(final String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(folder, "topology", ".yaml"), yaml);
    }
}

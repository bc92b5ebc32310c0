package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;

/**
 * {@code sluice audit acks|commits} against the audit topics of a running application. The follow test runs last:
 * it adds an event the counting tests do not expect.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditCommandIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final Set<String> ACK_FIELDS = Set.of("eventId", "time", "applicationId", "context", "ingress",
        "egress", "outcome", "error", "chain", "interceptorErrors", "violations");
    private static final Set<String> COMMIT_FIELDS = Set.of("eventId", "time", "applicationId", "instance", "offsets",
        "outcome", "error");

    @TempDir
    static Path stateDir;

    private static AuditHarness harness;

    @BeforeAll
    static void runTheApplication() throws Exception {
        harness = new AuditHarness(KAFKA.bootstrapServers(), "cli", ProcessingGuarantee.EXACTLY_ONCE_V2, stateDir);
        harness.createTopics(2, Map.of()).publish("cli-recorder", "test-recording", "rejecter", "test-rejecting").start();
        harness.produce(List.of(
            TestRecord.of("k1", "value-1").header("sluice-user", "alice").header("sluice-groups", "ops,analysts"),
            TestRecord.of("k2", "value-2").header("sluice-user", "bob"),
            TestRecord.of("k3", "reject-3").header("sluice-user", "alice"),
            TestRecord.of("k4", "warn-4")));
        assertEquals(4, harness.exactlyAcks(4).size());
        harness.commitsReaching(harness.endOffsets(harness.ingress));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void acksAsJsonAreOnePlainObjectPerLineInTheSpecShape() throws Exception {
        // when
        final Result result = sluice("audit", "acks", "-o", "json", "--topic", acksTopic());

        // then
        assertEquals(0, result.status, result.err);
        final List<JsonNode> events = result.jsonLines();
        assertEquals(4, events.size(), result.out);
        for (final JsonNode event : events) {
            assertEquals(ACK_FIELDS, fields(event), event.toString());
            assertTrue(event.get("time").isIntegralNumber(), "time in epoch ms");
            assertEquals("cli", event.get("applicationId").asText());
            assertEquals(Set.of("vcluster", "username", "groups"), fields(event.get("context")));
            assertEquals(Set.of("topic", "partition", "offset"), fields(event.get("ingress")));
            assertEquals(2, event.get("chain").size());
            final JsonNode first = event.get("chain").get(0);
            assertEquals(Set.of("name", "plugin", "level", "scope", "priority"), fields(first));
            assertEquals("global", first.get("level").asText(), "levels in lower case");
            assertEquals(Set.of("vcluster", "group", "username"), fields(first.get("scope")));
            assertTrue(first.get("scope").get("vcluster").isNull(), "unset scope fields are null");
            final boolean rejected = event.get("outcome").asText().equals("REJECTED");
            if (rejected) {
                assertTrue(event.get("egress").isNull(), "no egress: null, not a union wrapper");
                assertEquals(Set.of("kind", "message", "interceptor"), fields(event.get("error")));
                assertEquals("rejecter", event.get("error").get("interceptor").asText());
            } else {
                assertEquals("ACKNOWLEDGED", event.get("outcome").asText());
                assertTrue(event.get("error").isNull());
                assertEquals(Set.of("topic", "partition", "offset"), fields(event.get("egress")));
                assertEquals("cli.out", event.path("egress").path("topic").asText(), "jq-style .egress.topic");
            }
        }
        final JsonNode alice = events.stream().filter(event -> event.path("context").path("username").asText().equals("alice")
            && event.path("outcome").asText().equals("ACKNOWLEDGED")).findFirst()
            .orElseThrow(() -> new AssertionError("no ACKNOWLEDGED event of alice in " + events));
        assertEquals(List.of("analysts", "ops"), texts(alice.path("context").path("groups")));
        final JsonNode anonymous = events.stream().filter(event -> event.path("context").path("username").isNull())
            .findFirst().orElseThrow(() -> new AssertionError("no event of the anonymous user in " + events));
        assertEquals("values starting with 'warn' are frowned upon",
            anonymous.path("violations").get(0).path("message").asText());
        assertEquals("rejecter", anonymous.path("violations").get(0).path("interceptor").asText());
    }

    @Test
    void filtersByUserVclusterOutcomeAndTime() throws Exception {
        assertEquals(2, sluice("audit", "acks", "-o", "json", "--topic", acksTopic(), "--user", "alice").jsonLines().size());
        assertEquals(1, sluice("audit", "acks", "-o", "json", "--topic", acksTopic(), "--outcome", "rejected")
            .jsonLines().size());
        assertEquals(4, sluice("audit", "acks", "-o", "json", "--topic", acksTopic(), "--vcluster", "default",
            "--since", "1h").jsonLines().size());
        assertEquals(0, sluice("audit", "acks", "-o", "json", "--topic", acksTopic(), "--vcluster", "payments")
            .jsonLines().size());
        final Result badOutcome = sluice("audit", "acks", "--topic", acksTopic(), "--outcome", "LOST");
        assertEquals(2, badOutcome.status);
        assertTrue(badOutcome.err.lines().findFirst().orElseThrow().contains("not one of ACKNOWLEDGED, REJECTED, FAILED"),
            badOutcome.err);
    }

    @Test
    void commitsAsJsonReachTheIngressEndOffsets() throws Exception {
        // when
        final Result result = sluice("audit", "commits", "-o", "json", "--topic", harness.topology.auditTopics().commits(),
            "--outcome", "COMMITTED");

        // then
        final List<JsonNode> events = result.jsonLines();
        assertFalse(events.isEmpty(), result.err);
        final Map<String, Long> reached = new java.util.HashMap<>();
        for (final JsonNode event : events) {
            assertEquals(COMMIT_FIELDS, fields(event), event.toString());
            assertTrue(event.get("error").isNull());
            assertTrue(event.get("instance").asText().contains("StreamThread"));
            event.get("offsets").forEach(offset -> reached.merge(offset.get("topic").asText() + "-"
                + offset.get("partition").asInt(), offset.get("offset").asLong(), Math::max));
        }
        final Map<String, Long> ends = new java.util.HashMap<>();
        harness.endOffsets(harness.ingress).forEach((partition, end) -> ends.put(partition.toString(), end));
        assertEquals(ends, reached);
    }

    @Test
    void aTableForPeopleAndTheTopicFromATopologyFile(@TempDir final Path files) throws Exception {
        // given
        final Path topology = files.resolve("topology.yaml");
        Files.writeString(topology, """
            applicationId: cli
            auditTopics: { acks: cli_acks, commits: cli_commits }
            routes:
              - ingress: cli.in
                egress: cli.out
            """);

        // when
        final Result result = sluice("audit", "acks", "--topology", topology.toString(), "--user", "bob");

        // then
        assertEquals(0, result.status, result.err);
        final List<String> lines = result.out.lines().toList();
        assertEquals(2, lines.size(), result.out);
        assertTrue(lines.get(0).startsWith("TIME"), lines.get(0));
        assertTrue(lines.get(1).contains("ACKNOWLEDGED") && lines.get(1).contains("bob")
            && lines.get(1).contains("cli.out-"), lines.get(1));
    }

    @Test
    void anUndecodableRecordIsSkippedWithAWarningAndAMissingTopicIsAOneLineError() throws Exception {
        // given
        final String topic = "cli_acks_copy";
        KAFKA.createTopic(topic, 1);
        KAFKA.produce(topic, TestRecord.of("k", "not avro at all"));

        // when
        final Result skipped = sluice("audit", "acks", "-o", "json", "--topic", topic);
        final Result missing = sluice("audit", "acks", "--topic", "no_such_audit_topic");

        // then
        assertEquals(0, skipped.status, skipped.err);
        assertEquals("", skipped.out);
        assertEquals(1, skipped.err.lines().count(), skipped.err);
        assertTrue(skipped.err.startsWith("sluice: warning: skipping cli_acks_copy-0@0: not Avro"), skipped.err);
        assertEquals(1, missing.status);
        assertEquals(1, missing.err.lines().count(), missing.err);
        assertTrue(missing.err.contains("'no_such_audit_topic' does not exist"), missing.err);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void followKeepsPrintingNewEventsUntilStopped() throws Exception {
        // given: following from now on
        final StringWriter out = new StringWriter();
        final AtomicInteger status = new AtomicInteger(-1);
        final Thread follower = new Thread(() -> status.set(SluiceCommand.execute(new String[] {"audit", "acks",
            "--bootstrap-servers", KAFKA.bootstrapServers(), "--topic", acksTopic(), "-o", "json", "--follow",
            "--since", "PT1S", "--user", "dave"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))));
        follower.start();

        // when
        harness.produce(List.of(TestRecord.of("k5", "value-5").header("sluice-user", "dave")));

        // then
        try {
            org.awaitility.Awaitility.await("audit acks --follow to print dave's event").atMost(AuditHarness.TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).until(() -> !out.toString().isEmpty());
        } finally {
            follower.interrupt();
        }
        follower.join(Duration.ofSeconds(20).toMillis());
        assertFalse(follower.isAlive(), "--follow stops when interrupted");
        assertEquals(0, status.get());
        final List<String> printed = out.toString().lines().toList();
        assertEquals(1, printed.size(), out.toString());
        final JsonNode event = Json.parse(printed.get(0));
        assertEquals("dave", event.path("context").path("username").asText());
    }

    private static String acksTopic() {
        return harness.topology.auditTopics().acks();
    }

    private static Result sluice(final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(KAFKA.bootstrapServers());
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(all.toArray(String[]::new), new PrintWriter(out, true),
            new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private static Set<String> fields(final JsonNode node) {
        final Set<String> names = new TreeSet<>();
        for (final Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> texts(final JsonNode array) {
        final List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private record Result(int status, String out, String err) {
        /** Each line parsed as JSON, as {@code jq} would. */
        List<JsonNode> jsonLines() throws Exception {
            final List<JsonNode> nodes = new ArrayList<>();
            for (final String line : out.lines().toList()) {
                nodes.add(Json.parse(line));
            }
            return nodes;
        }
    }
}

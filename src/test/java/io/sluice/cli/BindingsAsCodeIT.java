package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.avro.AckEvent;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.resolution.Context;
import io.sluice.resolution.IndexedResolver;
import io.sluice.testkit.AckEvents;
import io.sluice.testkit.KafkaCluster;

/**
 * Bindings as code on a real broker (SPEC §9): {@code bindings diff} (every action kind, nested config, secrets,
 * exit statuses as kubectl diff), {@code bindings apply --prune} (exactly the lost bindings go; unchanged ones are
 * not published again) and {@code bindings impact} (exactly the contexts whose chain changes, checked against the
 * resolver on the same contexts).
 */
@Timeout(180)
class BindingsAsCodeIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        List<JsonNode> json() {
            return out.lines().map(line -> {
                try {
                    return Json.parse(line);
                } catch (final Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }).toList();
        }
    }

    private Run sluice(final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(KAFKA.bootstrapServers());
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    private static String newTopic() {
        return "bindings-as-code-" + TOPICS.incrementAndGet();
    }

    private Path write(final String name, final String... resources) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("---\n", resources));
    }

    static String resource(final String name, final String scope, final String spec) {
        return "apiVersion: sluice/v1\nkind: Interceptor\nmetadata:\n  name: " + name + "\n"
            + (scope == null ? "" : "  scope: " + scope + "\n") + "spec:\n" + spec.stripIndent().indent(2);
    }

    private static final String KEEP = resource("keep", null, """
          plugin: header-injection
          priority: 1
          config:
            headers: {x-trace-id: "{{uuid}}"}""");
    private static final String TAG_BEFORE = resource("tag", "{vcluster: payments, group: analysts}", """
          plugin: header-injection
          priority: 20
          config:
            overwrite: false
            headers: {x-team: analysts, x-api-key: k-old-1234, x-region: eu}""");
    private static final String TAG_AFTER = resource("tag", "{vcluster: payments, group: analysts}", """
          plugin: header-injection
          priority: 25
          topics: "orders\\\\..*"
          onError: reject
          config:
            overwrite: false
            headers: {x-team: analysts-eu, x-api-key: k-new-5678, x-region: eu}""");
    private static final String LOST = resource("lost", "{username: alice}", """
          plugin: header-removal
          priority: 5
          config: {pattern: "x-internal-.*"}""");
    private static final String NEW = resource("new", "{group: auditors}", """
          plugin: header-injection
          priority: 30
          config:
            headers: {x-audited: "yes"}""");

    @Test
    void diffShowsEveryActionKindWithNestedConfigAndRedactedSecretsAndExitsAsKubectlDiff() throws Exception {
        // given: the topic holds keep, tag and lost; the files keep keep, change tag, lose lost and add new
        final String topic = newTopic();
        assertEquals(0, sluice("bindings", "apply", "-f", write("before.yaml", KEEP, TAG_BEFORE, LOST).toString(),
            "--config-topic", topic).status());
        final Path after = write("after.yaml", KEEP, TAG_AFTER, NEW);

        // when
        final Run json = sluice("bindings", "diff", "-f", after.toString(), "--config-topic", topic, "-o", "json");
        final Run pruned = sluice("bindings", "diff", "-f", after.toString(), "--config-topic", topic, "-o", "json",
            "--prune");
        final Run table = sluice("bindings", "diff", "-f", after.toString(), "--config-topic", topic, "--prune");

        // then: one JSON object per changed identity, in the documented shape
        assertEquals(1, json.status(), "differences: exit 1; " + json.err());
        final List<JsonNode> lines = json.json();
        assertEquals(List.of("update tag", "create new"), lines.stream()
            .map(line -> line.get("action").asText() + " " + line.get("name").asText()).toList(), json.out());
        for (final JsonNode line : pruned.json()) {
            assertEquals(Set.of("action", "name", "scope", "changes"), fields(line));
            assertEquals(Set.of("vcluster", "group", "username"), fields(line.get("scope")));
            line.get("changes").forEach(change -> assertEquals(Set.of("field", "before", "after"), fields(change)));
        }
        final JsonNode update = lines.get(0);
        assertEquals("{\"vcluster\":\"payments\",\"group\":\"analysts\",\"username\":null}", Json.line(update.get("scope")));
        final Map<String, String> changes = new LinkedHashMap<>();
        update.get("changes").forEach(change -> changes.put(change.get("field").asText(),
            Json.line(change.get("before")) + " -> " + Json.line(change.get("after"))));
        assertEquals(Map.of(
            "spec.priority", "20 -> 25",
            "spec.topics", "null -> \"orders\\\\..*\"",
            "spec.onError", "null -> \"reject\"",
            "spec.config.headers.x-team", "\"analysts\" -> \"analysts-eu\"",
            "spec.config.headers.x-api-key", "\"<redacted>\" -> \"<redacted>\""), changes,
            "every changed field, config leaf by leaf; unchanged leaves (x-region, overwrite) are not listed");
        for (final Run run : List.of(json, pruned, table)) {
            assertFalse(run.out().contains("k-old-1234") || run.out().contains("k-new-5678"), run.out());
            assertFalse(run.err().contains("k-old-1234") || run.err().contains("k-new-5678"), run.err());
        }

        // and with --prune the lost binding is a delete, with what it held
        assertEquals(1, pruned.status());
        final JsonNode delete = pruned.json().get(2);
        assertEquals("delete", delete.get("action").asText());
        assertEquals("lost", delete.get("name").asText());
        assertEquals("alice", delete.get("scope").get("username").asText());
        assertEquals("\"x-internal-.*\"", Json.line(delete.get("changes").get(2).get("before")));
        assertTrue(delete.get("changes").get(2).get("after").isNull());

        // and the table has one line per identity and a summary
        assertEquals(1, table.status());
        assertEquals(5, table.lines().size(), table.out());
        assertTrue(table.lines().get(0).startsWith("ACTION"), table.out());
        assertTrue(table.lines().get(1).matches("update +tag +vcluster=payments,group=analysts +spec\\.priority: 20 -> 25; .*"),
            table.out());
        assertTrue(table.lines().get(2).startsWith("create"), table.out());
        assertTrue(table.lines().get(3).matches("delete +lost +username=alice +spec\\.plugin: \"header-removal\"; .*"),
            table.out());
        assertEquals("1 to create, 1 to update, 1 to delete", table.lines().get(4));
    }

    @Test
    void bindingsListRedactsSecretsAsDiffDoes() throws Exception {
        // given
        final String topic = newTopic();
        assertEquals(0, sluice("bindings", "apply", "-f", write("tag.yaml", TAG_BEFORE).toString(), "--config-topic", topic)
            .status());

        // when
        final Run json = sluice("bindings", "list", "--config-topic", topic, "-o", "json");
        final Run yaml = sluice("bindings", "list", "--config-topic", topic, "-o", "yaml");

        // then
        assertEquals(0, json.status(), json.err());
        assertEquals("<redacted>", json.json().get(0).at("/spec/config/headers/x-api-key").asText());
        assertEquals("eu", json.json().get(0).at("/spec/config/headers/x-region").asText());
        assertTrue(yaml.out().contains("x-api-key: <redacted>"), yaml.out());
        assertFalse(json.out().contains("k-old-1234") || yaml.out().contains("k-old-1234"));
    }

    @Test
    void diffExitsZeroWithoutDifferencesAndAboveOneOnErrorsComparingNothing() throws Exception {
        // given
        final String topic = newTopic();
        final Path same = write("same.yaml", KEEP, TAG_BEFORE);
        assertEquals(0, sluice("bindings", "apply", "-f", same.toString(), "--config-topic", topic).status());
        final Path invalid = write("invalid.yaml", KEEP, resource("bad", "{group: a, username: b}", """
              plugin: no-such-plugin
              priority: -1"""), resource("worse name!", null, """
              plugin: header-injection
              priority: 1
              config: {headers: {x: "{{nope}}"}}"""));

        // when
        final Run none = sluice("bindings", "diff", "-f", same.toString(), "--config-topic", topic);
        final Run noneJson = sluice("bindings", "diff", "-f", same.toString(), "--config-topic", topic, "-o", "json");
        final Run bad = sluice("bindings", "diff", "-f", invalid.toString(), "--config-topic", topic);
        final Run applyBad = sluice("bindings", "apply", "-f", invalid.toString(), "--config-topic", topic, "--dry-run");
        final Run missing = sluice("bindings", "diff", "-f", dir.resolve("missing.yaml").toString(), "--config-topic", topic);
        final Run badConfig = sluice("bindings", "diff", "-f", same.toString(), "--config-topic", topic,
            "--command-config", dir.resolve("nope.properties").toString());

        // then
        assertEquals(0, none.status(), none.err());
        assertEquals(List.of("no differences"), none.lines());
        assertEquals(0, noneJson.status());
        assertEquals("", noneJson.out());
        assertEquals(2, bad.status(), "an error: exit > 1");
        assertEquals("", bad.out(), "nothing compared");
        final List<String> problems = bad.err().lines().toList();
        assertEquals(applyBad.err().lines().toList().subList(0, problems.size() - 1), problems.subList(0, problems.size() - 1),
            "every problem, as apply prints them");
        assertTrue(problems.size() >= 5, bad.err());
        assertTrue(problems.get(problems.size() - 1).endsWith("; nothing was compared"), bad.err());
        assertEquals(2, missing.status(), missing.err());
        assertTrue(missing.err().strip().endsWith("; nothing was compared"), missing.err());
        assertEquals(2, badConfig.status(), badConfig.err());
        assertTrue(badConfig.err().startsWith("sluice: --command-config"), badConfig.err());
    }

    @Test
    void applyPruneRemovesExactlyTheLostBindingsAndUnchangedBindingsAreNotRepublished() throws Exception {
        // given
        final String topic = newTopic();
        final Path before = write("before.yaml", KEEP, TAG_BEFORE, LOST);
        final Path after = write("after.yaml", KEEP, TAG_AFTER, NEW);
        final Run first = sluice("bindings", "apply", "-f", before.toString(), "--config-topic", topic);
        assertEquals(0, first.status(), first.err());
        final long published = endOffset(topic);
        assertEquals(3, published);

        // when: the same files again
        final Run again = sluice("bindings", "apply", "-f", before.toString(), "--config-topic", topic);

        // then: nothing is published
        assertEquals(0, again.status(), again.err());
        assertEquals(List.of("unchanged: keep@global", "unchanged: tag@vcluster=payments,group=analysts",
            "unchanged: lost@username=alice", "0 binding(s) published to " + topic + ", 3 unchanged (not republished)"),
            again.lines());
        assertEquals(published, endOffset(topic), "the config topic's end offset did not move");

        // when: a dry run of the pruning apply
        final Run dryRun = sluice("bindings", "apply", "-f", after.toString(), "--config-topic", topic, "--prune",
            "--dry-run");

        // then: it prints what it would do, and does nothing
        assertEquals(0, dryRun.status(), dryRun.err());
        assertEquals(published, endOffset(topic));

        // when: the pruning apply
        final Run prune = sluice("bindings", "apply", "-f", after.toString(), "--config-topic", topic, "--prune");

        // then: the same lines (without the dry-run marks); one update, one create and one tombstone in one go
        assertEquals(0, prune.status(), prune.err());
        assertEquals(List.of("unchanged: keep@global",
            "applied: tag@vcluster=payments,group=analysts (spec.priority: 20 -> 25; spec.topics: null -> \"orders\\\\..*\"; "
                + "spec.onError: null -> \"reject\"; spec.config.headers.x-team: \"analysts\" -> \"analysts-eu\"; "
                + "spec.config.headers.x-api-key: \"<redacted>\" -> \"<redacted>\")",
            "applied: new@group=auditors",
            "deleted: lost@username=alice",
            "2 binding(s) published to " + topic + ", 1 deleted, 1 unchanged (not republished)"), prune.lines());
        assertEquals(dryRun.lines().subList(0, 4), prune.lines().subList(0, 4).stream().map(line -> line + " (dry run)")
            .toList());
        assertEquals("2 binding(s) to publish, 1 to delete, 1 unchanged; nothing published (--dry-run)",
            dryRun.lines().get(4));
        assertEquals(published + 3, endOffset(topic));
        assertEquals(Set.of("keep@global", "tag@vcluster=payments,group=analysts", "new@group=auditors"),
            inForce(topic), "exactly the files");
        assertEquals(0, sluice("bindings", "diff", "-f", after.toString(), "--config-topic", topic, "--prune").status(),
            "nothing left to change");
    }

    @Test
    void pruneWithFilesThatHoldNoResourceIsRefused() throws Exception {
        // given
        final String topic = newTopic();
        assertEquals(0, sluice("bindings", "apply", "-f", write("one.yaml", KEEP).toString(), "--config-topic", topic)
            .status());
        final Path empty = Files.writeString(dir.resolve("empty.yaml"), "# every binding was removed\n");

        // when
        final Run apply = sluice("bindings", "apply", "-f", empty.toString(), "--config-topic", topic, "--prune");
        final Run diff = sluice("bindings", "diff", "-f", empty.toString(), "--config-topic", topic, "--prune");

        // then
        assertEquals(1, apply.status());
        assertTrue(apply.err().startsWith("sluice: --prune: " + empty + " holds no binding resource"), apply.err());
        assertEquals(1, apply.err().lines().count());
        assertEquals(2, diff.status(), diff.err());
        assertEquals(Set.of("keep@global"), inForce(topic));
    }

    @Test
    void anInvalidRecordOnTheTopicIsShownAsSuchAndReplacedByApply() throws Exception {
        // given: tag is in force, then another tool writes an invalid version of it, and one of an unknown binding
        final String topic = newTopic();
        final Path files = write("files.yaml", KEEP, TAG_BEFORE);
        assertEquals(0, sluice("bindings", "apply", "-f", files.toString(), "--config-topic", topic).status());
        final BindingId tag = new BindingId("tag", new BindingScope("payments", "analysts", null));
        final BindingId other = new BindingId("other", BindingScope.GLOBAL);
        ConfigTopicClient.publish(clientProperties(), topic, List.of(
            Map.entry(BindingRecords.key(tag), "not avro".getBytes()),
            Map.entry(BindingRecords.key(other), "not avro either".getBytes())));

        // when
        final Run diff = sluice("bindings", "diff", "-f", files.toString(), "--config-topic", topic, "-o", "json");
        final Run pruned = sluice("bindings", "diff", "-f", files.toString(), "--config-topic", topic, "--prune", "-o", "json");

        // then: the files equal what is in force, but the latest record is invalid: an update of its status
        assertEquals(1, diff.status(), diff.err());
        assertEquals(1, diff.json().size(), diff.out());
        final JsonNode status = diff.json().get(0).get("changes").get(0);
        assertEquals("update", diff.json().get(0).get("action").asText());
        assertEquals("status", status.get("field").asText());
        assertTrue(status.get("before").asText().startsWith("invalid: value: "), status.toString());
        assertEquals("valid", status.get("after").asText());
        assertTrue(diff.err().contains("other@global: the latest record on " + topic + " is invalid"), diff.err());
        assertEquals(List.of("update tag", "delete other"), pruned.json().stream()
            .map(line -> line.get("action").asText() + " " + line.get("name").asText()).toList());

        // when: apply replaces the invalid record
        final Run apply = sluice("bindings", "apply", "-f", files.toString(), "--config-topic", topic);

        // then
        assertEquals(0, apply.status(), apply.err());
        assertTrue(apply.out().contains("applied: tag@vcluster=payments,group=analysts (status: "), apply.out());
        assertEquals(0, sluice("bindings", "diff", "-f", files.toString(), "--config-topic", topic).status());
    }

    /** Contexts of real traffic, with how many records each sent, and bindings before and after a change. */
    @Test
    void impactListsExactlyTheContextsWhoseChainChangesAsTheResolverSaysWithTheirRecords() throws Exception {
        // given: in force, a global binding, a group-level one, a vcluster-level one limited to orders topics,
        // and a legacy one the files no longer hold
        final String configTopic = newTopic();
        final String acksTopic = newTopic() + "-acks";
        final Path before = write("before.yaml", KEEP,
            resource("tag", "{group: analysts}", """
              plugin: header-injection
              priority: 20
              config: {headers: {x-team: analysts}}"""),
            resource("strip", "{vcluster: payments}", """
              plugin: header-removal
              priority: 5
              topics: "orders\\\\..*"
              config: {pattern: "x-internal-.*"}"""),
            resource("legacy", null, """
              plugin: header-removal
              priority: 50
              config: {pattern: "x-legacy"}"""));
        // after: tag changes at the group level (priority), strip's topic filter also covers refunds, and a new
        // group-level binding for auditors
        final Path after = write("after.yaml", KEEP,
            resource("tag", "{group: analysts}", """
              plugin: header-injection
              priority: 30
              config: {headers: {x-team: analysts}}"""),
            resource("strip", "{vcluster: payments}", """
              plugin: header-removal
              priority: 5
              topics: "(orders|refunds)\\\\..*"
              config: {pattern: "x-internal-.*"}"""),
            resource("audit", "{group: auditors}", """
              plugin: header-injection
              priority: 40
              config: {headers: {x-audited: "yes"}}"""));
        assertEquals(0, sluice("bindings", "apply", "-f", before.toString(), "--config-topic", configTopic).status());
        KAFKA.createTopic(acksTopic, 3);
        final Instant now = Instant.now();
        final List<AckEvent> events = new ArrayList<>();
        final Map<Context, Integer> traffic = new LinkedHashMap<>();
        traffic.put(new Context("payments", "alice", Set.of("analysts"), "orders.in"), 3);
        traffic.put(new Context("payments", "bob", Set.of("auditors"), "orders.in"), 2);
        traffic.put(new Context("payments", "carol", Set.of("analysts", "auditors"), "refunds.in"), 1);
        traffic.put(new Context("payments", "erin", Set.of("ops"), "refunds.in"), 6);
        traffic.put(new Context("conduktor", "dave", Set.of(), "orders.in"), 4);
        traffic.put(new Context("default", null, Set.of(), "shared.in"), 5);
        long offset = 0;
        for (final Map.Entry<Context, Integer> context : traffic.entrySet()) {
            for (int i = 0; i < context.getValue(); i++) {
                events.add(AckEvents.event(context.getKey().vcluster(), context.getKey().username(),
                    List.copyOf(context.getKey().groups()), context.getKey().topic(), offset++, now.minusSeconds(60 + i)));
            }
        }
        // an event older than the window, of a context whose chain would change: not counted
        events.add(AckEvents.event("payments", "zoe", List.of("analysts"), "orders.in", offset, now.minus(Duration.ofDays(2))));
        AckEvents.write(KAFKA.bootstrapServers(), acksTopic, events.iterator());

        // when
        final Run json = sluice("bindings", "impact", "-f", after.toString(), "--config-topic", configTopic,
            "--acks-topic", acksTopic, "-o", "json");
        final Run table = sluice("bindings", "impact", "-f", after.toString(), "--config-topic", configTopic,
            "--acks-topic", acksTopic);
        final Run pruned = sluice("bindings", "impact", "-f", after.toString(), "--config-topic", configTopic,
            "--acks-topic", acksTopic, "-o", "json", "--prune");
        final Run wideWindow = sluice("bindings", "impact", "-f", after.toString(), "--config-topic", configTopic,
            "--acks-topic", acksTopic, "-o", "json", "--since", "3d");

        // then: exactly the contexts the resolver gives another chain, before (topic) and after (topic + files)
        assertEquals(0, json.status(), json.err());
        final IndexedResolver old = resolver(before);
        final IndexedResolver updated = resolver(before, after);
        final Map<Context, JsonNode> expected = new LinkedHashMap<>();
        for (final Context context : traffic.keySet()) {
            final JsonNode was = ResolveCommand.toJson(old.resolve(context)).get("chain");
            final JsonNode will = ResolveCommand.toJson(updated.resolve(context)).get("chain");
            if (!was.equals(will)) {
                expected.put(context, Json.object().put("records", (long) traffic.get(context)).<com.fasterxml.jackson.databind.node.ObjectNode>set("before", was)
                    .set("after", will));
            }
        }
        assertEquals(Set.of("alice", "bob", "carol", "erin"), expected.keySet().stream().map(Context::username)
            .collect(java.util.stream.Collectors.toSet()), "the scenario: a group-level change (alice, carol), a new "
                + "group binding (bob, carol), a topic filter that now covers refunds (carol, erin)");
        final Map<Context, JsonNode> printed = new LinkedHashMap<>();
        for (final JsonNode line : json.json()) {
            assertEquals(Set.of("context", "records", "before", "after"), fields(line));
            assertEquals(Set.of("vcluster", "username", "groups", "topic"), fields(line.get("context")));
            final JsonNode context = line.get("context");
            final Set<String> groups = new HashSet<>();
            context.get("groups").forEach(group -> groups.add(group.asText()));
            printed.put(new Context(context.get("vcluster").asText(),
                    context.get("username").isNull() ? null : context.get("username").asText(), groups,
                    context.get("topic").asText()),
                Json.object().put("records", line.get("records").asLong())
                    .<com.fasterxml.jackson.databind.node.ObjectNode>set("before", line.get("before"))
                    .set("after", line.get("after")));
        }
        assertEquals(expected, printed);
        assertEquals(List.of("erin", "alice", "bob", "carol"), json.json().stream()
            .map(line -> line.get("context").get("username").asText()).toList(), "most records first");
        assertTrue(json.err().contains("read 21 acknowledgement event(s)"), json.err());
        assertTrue(json.err().contains("6 distinct context(s)"), json.err());

        // and the table ends with the summary
        assertEquals(0, table.status(), table.err());
        assertEquals(6, table.lines().size(), table.out());
        assertTrue(table.lines().get(2).matches("payments +alice +analysts +orders\\.in +3 +keep,strip,tag:analysts,legacy"
            + " +keep,strip,tag:analysts\\*,legacy"), table.out());
        assertEquals("4 of 6 contexts change, covering 12 records", table.lines().get(5));

        // and with --prune the legacy binding goes for everyone; a wider window counts the old event
        assertEquals(6, pruned.json().size(), pruned.out());
        assertEquals(5, wideWindow.json().size(), wideWindow.out());
        assertTrue(wideWindow.out().contains("\"zoe\""), wideWindow.out());
    }

    @Test
    void impactCountsAConfigOnlyChangeAndMarksIt() throws Exception {
        // given: only the config of the group-level binding changes
        final String configTopic = newTopic();
        final String acksTopic = newTopic() + "-acks";
        final String tag = resource("tag", "{group: analysts}", """
              plugin: header-injection
              priority: 20
              config: {headers: {x-team: %s}}""");
        assertEquals(0, sluice("bindings", "apply", "-f", write("before.yaml", tag.formatted("a")).toString(),
            "--config-topic", configTopic).status());
        KAFKA.createTopic(acksTopic, 1);
        AckEvents.write(KAFKA.bootstrapServers(), acksTopic, List.of(
            AckEvents.event("payments", "alice", List.of("analysts"), "orders.in", 0, Instant.now()),
            AckEvents.event("payments", "bob", List.of(), "orders.in", 1, Instant.now())).iterator());

        // when
        final Run table = sluice("bindings", "impact", "-f", write("after.yaml", tag.formatted("b")).toString(),
            "--config-topic", configTopic, "--acks-topic", acksTopic);

        // then: alice's records would be treated differently, bob's not
        assertEquals(0, table.status(), table.err());
        assertTrue(table.lines().get(1).matches("payments +alice +analysts +orders\\.in +1 +tag:analysts +tag:analysts\\*"),
            table.out());
        assertEquals("1 of 2 contexts change, covering 1 records", table.lines().get(2));
    }

    @Test
    void impactOnAMissingAuditTopicIsOneLine() throws Exception {
        // when
        final Run run = sluice("bindings", "impact", "-f", write("one.yaml", KEEP).toString(), "--config-topic",
            newTopic(), "--acks-topic", "no-such-acks");

        // then
        assertEquals(1, run.status());
        assertEquals(List.of("sluice: the audit topic 'no-such-acks' does not exist (has Sluice run with this topology? "
            + "see --topology and --topic)"), run.err().lines().toList());
    }

    private static Set<String> fields(final JsonNode node) {
        final Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static IndexedResolver resolver(final Path... files) {
        final Map<BindingId, io.sluice.bindings.Binding> bindings = new LinkedHashMap<>();
        for (final Path file : files) {
            BindingResources.read(file, PluginRegistry.load()).bindings().forEach(binding -> bindings.put(binding.id(), binding));
        }
        final IndexedResolver resolver = new IndexedResolver();
        resolver.load(List.copyOf(bindings.values()));
        return resolver;
    }

    private java.util.Properties clientProperties() {
        final java.util.Properties properties = new java.util.Properties();
        properties.put("bootstrap.servers", KAFKA.bootstrapServers());
        return properties;
    }

    private Set<String> inForce(final String topic) {
        final Set<String> ids = new HashSet<>();
        ConfigTopicClient.readAll(clientProperties(), topic, new BindingRecords(PluginRegistry.load()))
            .forEach(entry -> ids.add(entry.inForce().id().toString()));
        return ids;
    }

    private long endOffset(final String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }
}

package io.sluice.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.OnError;

/** What applying files would change, identity by identity (SPEC §9): the comparison behind diff and apply. */
@Timeout(30)
class BindingDiffTest {

    private static final BindingScope ANALYSTS = new BindingScope("payments", "analysts", null);
    private static final Redaction REDACTION = new Redaction(new PluginRegistry(List.of(new Vault())));

    /** A plugin that declares two secret fields whose names do not sound secret. */
    static final class Vault extends StubPlugins.Stub {

        Vault() {
            super("vault", OnError.SKIP);
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of(new ConfigField("pin", "string", false, null, "a PIN", true),
                new ConfigField("login.code", "string", false, null, "a code", true),
                new ConfigField("label", "string", false, null, "not secret"));
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }
    }

    static Binding binding(final String name, final BindingScope scope, final String plugin, final int priority,
                           final String topics, final OnError onError, final String config) throws Exception {
        return new Binding(new BindingId(name, scope), plugin, priority, topics == null ? null : Pattern.compile(topics),
            onError, Json.parse(config));
    }

    static BindingDiff.Current inForce(final Binding binding) {
        return new BindingDiff.Current(binding.id(), binding, null);
    }

    private static List<String> fields(final BindingDiff.Change change) {
        return change.changes().stream().map(BindingDiff.FieldChange::field).toList();
    }

    private static BindingDiff.FieldChange field(final BindingDiff.Change change, final String field) {
        return change.changes().stream().filter(each -> each.field().equals(field)).findFirst()
            .orElseThrow(() -> new AssertionError("no change of " + field + " in " + change));
    }

    @Test
    void aNewIdentityIsACreateShowingEveryFieldItSets() throws Exception {
        // given
        final Binding tag = binding("tag", ANALYSTS, "header-injection", 20, "orders\\..*", OnError.REJECT,
            "{\"headers\": {\"x-team\": \"analysts\"}}");

        // when
        final List<BindingDiff.Change> changes = BindingDiff.compare(List.of(tag), List.of(), false, REDACTION);

        // then
        assertEquals(1, changes.size());
        final BindingDiff.Change create = changes.get(0);
        assertEquals(BindingDiff.Action.CREATE, create.action());
        assertEquals(tag, create.binding());
        assertEquals(List.of("spec.plugin", "spec.priority", "spec.topics", "spec.onError", "spec.config.headers.x-team"),
            fields(create));
        assertTrue(field(create, "spec.priority").before().isNull());
        assertEquals(20, field(create, "spec.priority").after().asInt());
        assertEquals("reject", field(create, "spec.onError").after().asText());
    }

    @Test
    void anUpdateNamesEveryChangedFieldAndComparesNestedConfigFieldByField() throws Exception {
        // given: the priority, topics, onError and three config leaves change; the rest stays
        final Binding before = binding("mask", ANALYSTS, "field-masking", 10, null, OnError.REJECT, """
            {"fields": [{"path": "card.number", "strategy": "LAST_N", "n": 4}, {"path": "email", "strategy": "ALL"}],
             "nested": {"a": {"b": 1, "c": "same"}, "gone": true}}""");
        final Binding after = binding("mask", ANALYSTS, "field-masking", 15, "orders\\..*", null, """
            {"fields": [{"path": "card.number", "strategy": "LAST_N", "n": 6}, {"path": "email", "strategy": "ALL"}],
             "nested": {"a": {"b": 2, "c": "same"}, "added": "yes"}}""");

        // when
        final List<BindingDiff.Change> changes = BindingDiff.compare(List.of(after), List.of(inForce(before)), false,
            REDACTION);

        // then
        assertEquals(1, changes.size());
        final BindingDiff.Change update = changes.get(0);
        assertEquals(BindingDiff.Action.UPDATE, update.action());
        assertEquals(List.of("spec.priority", "spec.topics", "spec.config.fields[0].n", "spec.config.nested.a.b",
            "spec.config.nested.added", "spec.onError", "spec.config.nested.gone"), fields(update));
        assertEquals("{\"field\":\"spec.config.fields[0].n\",\"before\":4,\"after\":6}",
            Json.line(Json.MAPPER.valueToTree(field(update, "spec.config.fields[0].n"))));
        assertTrue(field(update, "spec.topics").before().isNull());
        assertEquals("orders\\..*", field(update, "spec.topics").after().asText());
        assertEquals("reject", field(update, "spec.onError").before().asText());
        assertTrue(field(update, "spec.onError").after().isNull());
        assertTrue(field(update, "spec.config.nested.gone").after().isNull());
    }

    @Test
    void anUnchangedBindingIsNoChangeAndNumbersCompareByValue() throws Exception {
        // given: the topic's config came back through JSON, with 10.0 where the file says 10
        final Binding file = binding("quota", BindingScope.GLOBAL, "quota", 5, null, null,
            "{\"recordsPerSecond\": 10, \"list\": [], \"empty\": {}}");
        final Binding topic = binding("quota", BindingScope.GLOBAL, "quota", 5, null, null,
            "{\"recordsPerSecond\": 10.0, \"list\": [], \"empty\": {}}");

        // then
        assertEquals(List.of(), BindingDiff.compare(List.of(file), List.of(inForce(topic)), true, REDACTION));
    }

    @Test
    void emptyObjectsAndArraysAreFieldsOfTheirOwn() throws Exception {
        // given
        final Binding before = binding("x", BindingScope.GLOBAL, "quota", 5, null, null, "{\"list\": [1], \"map\": {}}");
        final Binding after = binding("x", BindingScope.GLOBAL, "quota", 5, null, null, "{\"list\": [], \"map\": {\"k\": 1}}");

        // when
        final BindingDiff.Change update = BindingDiff.compare(List.of(after), List.of(inForce(before)), false, REDACTION)
            .get(0);

        // then
        assertEquals(List.of("spec.config.list", "spec.config.map.k", "spec.config.list[0]", "spec.config.map"),
            fields(update));
        assertEquals("[]", Json.line(field(update, "spec.config.list").after()));
        assertEquals("{}", Json.line(field(update, "spec.config.map").before()));
    }

    @Test
    void bindingsTheFilesLostAreDeletedOnlyWhenPruning() throws Exception {
        // given
        final Binding kept = binding("kept", BindingScope.GLOBAL, "header-injection", 1, null, null, "{}");
        final Binding lost = binding("lost", new BindingScope(null, null, "alice"), "header-removal", 2, null, null,
            "{\"pattern\": \"x-.*\"}");
        final List<BindingDiff.Current> topic = List.of(inForce(kept), inForce(lost));

        // when
        final List<BindingDiff.Change> plain = BindingDiff.compare(List.of(kept), topic, false, REDACTION);
        final List<BindingDiff.Change> pruned = BindingDiff.compare(List.of(kept), topic, true, REDACTION);

        // then
        assertEquals(List.of(), plain);
        assertEquals(1, pruned.size());
        final BindingDiff.Change delete = pruned.get(0);
        assertEquals(BindingDiff.Action.DELETE, delete.action());
        assertEquals(lost.id(), delete.id());
        assertEquals(null, delete.binding(), "a tombstone");
        assertEquals(List.of("spec.plugin", "spec.priority", "spec.config.pattern"), fields(delete));
        assertTrue(field(delete, "spec.config.pattern").after().isNull());
    }

    @Test
    void anInvalidLatestRecordIsNeverEqual() throws Exception {
        // given: "same" has an invalid latest record over the very version the files hold; "fresh" has only an
        // invalid record; "junk" has an invalid record and is not in the files
        final Binding same = binding("same", BindingScope.GLOBAL, "header-injection", 1, null, null, "{}");
        final Binding fresh = binding("fresh", BindingScope.GLOBAL, "header-injection", 1, null, null, "{}");
        final BindingId junk = new BindingId("junk", BindingScope.GLOBAL);
        final List<BindingDiff.Current> topic = List.of(new BindingDiff.Current(same.id(), same, "spec.priority: bad"),
            new BindingDiff.Current(fresh.id(), null, "value: not readable"),
            new BindingDiff.Current(junk, null, "spec.plugin: unknown"));

        // when
        final List<BindingDiff.Change> plain = BindingDiff.compare(List.of(same, fresh), topic, false, REDACTION);
        final List<BindingDiff.Change> pruned = BindingDiff.compare(List.of(same, fresh), topic, true, REDACTION);

        // then
        assertEquals(2, plain.size());
        assertEquals(BindingDiff.Action.UPDATE, plain.get(0).action());
        assertEquals(List.of("status"), fields(plain.get(0)), "only the record's validity changes");
        assertEquals("invalid: spec.priority: bad", field(plain.get(0), "status").before().asText());
        assertEquals("valid", field(plain.get(0), "status").after().asText());
        assertEquals(BindingDiff.Action.CREATE, plain.get(1).action(), "nothing of 'fresh' is in force");
        assertEquals("status", fields(plain.get(1)).get(0));
        assertEquals(3, pruned.size());
        assertEquals(BindingDiff.Action.DELETE, pruned.get(2).action());
        assertEquals(junk, pruned.get(2).id());
        assertEquals(List.of("status"), fields(pruned.get(2)));
    }

    @Test
    void secretValuesAreRedactedWhereverTheyAreAndChangesOfThemStillShow() throws Exception {
        // given: secrets by name (password, x-api-key, authorization, token) and by declaration (pin, login.code);
        // names that only point at a secret (keyFile, keyId) are not secret
        final Binding before = binding("v", BindingScope.GLOBAL, "vault", 1, null, null, """
            {"pin": "1111", "login": {"code": "c-1", "user": "bob"}, "db": {"password": "p-1"},
             "headers": {"x-api-key": "k-1", "Authorization": "Bearer t-1"}, "credentials": {"user": "u", "pass": "s-1"},
             "keyFile": "/etc/key-1", "keyId": "id-1", "label": "l-1", "token": "t-1"}""");
        final Binding after = binding("v", BindingScope.GLOBAL, "vault", 1, null, null, """
            {"pin": "2222", "login": {"code": "c-2", "user": "bob"}, "db": {"password": "p-2"},
             "headers": {"x-api-key": "k-2", "Authorization": "Bearer t-2"}, "credentials": {"user": "u", "pass": "s-2"},
             "keyFile": "/etc/key-2", "keyId": "id-2", "label": "l-2", "token": "t-1"}""");

        // when
        final BindingDiff.Change update = BindingDiff.compare(List.of(after), List.of(inForce(before)), false, REDACTION)
            .get(0);
        final String printed = Json.line(Json.MAPPER.valueToTree(update.changes()));

        // then
        assertEquals(List.of("spec.config.pin", "spec.config.login.code", "spec.config.db.password",
            "spec.config.headers.x-api-key", "spec.config.headers.Authorization", "spec.config.credentials",
            "spec.config.keyFile", "spec.config.keyId", "spec.config.label"), fields(update),
            "an unchanged secret (token) is no change; a secret object is one field");
        for (final String secret : List.of("spec.config.pin", "spec.config.login.code", "spec.config.db.password",
            "spec.config.headers.x-api-key", "spec.config.headers.Authorization", "spec.config.credentials")) {
            assertEquals("<redacted>", field(update, secret).before().asText(), secret);
            assertEquals("<redacted>", field(update, secret).after().asText(), secret);
        }
        for (final String value : List.of("1111", "2222", "c-1", "c-2", "p-1", "p-2", "k-1", "k-2", "t-1", "t-2", "s-1",
            "s-2")) {
            assertFalse(printed.contains(value), value + " leaked: " + printed);
        }
        assertEquals("/etc/key-2", field(update, "spec.config.keyFile").after().asText());
        assertEquals("l-1", field(update, "spec.config.label").before().asText());
    }

    @Test
    void aSecretAppearingOrDisappearingShowsRedactedAgainstNull() throws Exception {
        // given
        final Binding before = binding("v", BindingScope.GLOBAL, "vault", 1, null, null, "{}");
        final Binding after = binding("v", BindingScope.GLOBAL, "vault", 1, null, null, "{\"pin\": \"1234\"}");

        // when
        final BindingDiff.FieldChange pin = BindingDiff.compare(List.of(after), List.of(inForce(before)), false,
            REDACTION).get(0).changes().get(0);

        // then
        assertEquals("spec.config.pin", pin.field());
        assertTrue(pin.before().isNull());
        assertEquals("<redacted>", pin.after().asText());
    }

    @Test
    void redactingAConfigKeepsItsShapeAndHidesEverySecret() throws Exception {
        // when
        final JsonNode redacted = REDACTION.redact("vault", Json.parse("""
            {"pin": "1", "login": {"code": "2", "user": "bob"}, "list": [{"password": "3"}], "keyEnv": "KEY"}"""));

        // then
        assertEquals("{\"pin\":\"<redacted>\",\"login\":{\"code\":\"<redacted>\",\"user\":\"bob\"},"
            + "\"list\":[{\"password\":\"<redacted>\"}],\"keyEnv\":\"KEY\"}", Json.line(redacted));
    }

    @Test
    void oddKeysAreQuotedInPaths() throws Exception {
        // given
        final Binding before = binding("x", BindingScope.GLOBAL, "quota", 5, null, null, "{\"topics\": {\"orders.in\": 1}}");
        final Binding after = binding("x", BindingScope.GLOBAL, "quota", 5, null, null, "{\"topics\": {\"orders.in\": 2}}");

        // then
        assertEquals(List.of("spec.config.topics[\"orders.in\"]"), fields(BindingDiff.compare(List.of(after),
            List.of(inForce(before)), false, REDACTION).get(0)));
    }
}

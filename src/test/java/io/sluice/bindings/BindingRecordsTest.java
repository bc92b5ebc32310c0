package io.sluice.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.avro.AvroCodec;
import io.sluice.avro.BindingKey;
import io.sluice.avro.BindingValue;
import io.sluice.avro.OnErrorAction;
import io.sluice.avro.SchemaCatalog;
import io.sluice.common.Document;
import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.spi.OnError;

/** The config topic mapping: records in, bindings, tombstones or reasons out. */
class BindingRecordsTest {

    private static final String ORIGIN = "_sluice_bindings-0@42";
    private static final BindingRecords RECORDS = new BindingRecords(StubPlugins.registry());

    private static final Binding TRACE_ID = new Binding(
        new BindingId("add-trace-id", new BindingScope("payments", "analysts", null)), "header-injection", 10,
        Pattern.compile("orders\\..*"), OnError.REJECT, json("{\"headers\":{\"x-trace-id\":\"{{uuid}}\"}}"));
    private static final Binding MASK = new Binding(
        new BindingId("mask", BindingScope.GLOBAL), "field-masking", 0, null, null, Json.object());

    @Test
    void encodesKeysDeterministicallyAndInAFrozenFormat() {
        // when
        final byte[] key = BindingRecords.key(new BindingId("mask", new BindingScope("payments", null, null)));

        // then: magic, the BindingKey fingerprint, then name, vcluster (union branch 1), group and username (null)
        assertEquals("c301" + "961364d24d89a3ae" + "08" + "6d61736b" + "02" + "10" + "7061796d656e7473" + "00" + "00",
            HexFormat.of().formatHex(key));
        assertArrayEquals(key, BindingRecords.key(new BindingId("mask", new BindingScope("payments", null, null))));
    }

    @Test
    void roundTripsABindingWithItsProvenance() {
        // given
        final Provenance provenance = new Provenance("alice", Instant.ofEpochMilli(1_767_225_600_123L), "bindings.yaml#2");

        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(TRACE_ID.id()), BindingRecords.value(TRACE_ID, provenance));

        // then
        assertEquals(new ConfigRecord.Valid(TRACE_ID, provenance), record);
        assertEquals(TRACE_ID.id(), record.id());
    }

    @Test
    void roundTripsAGlobalBindingWithNoOptionalFields() {
        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(MASK.id()), BindingRecords.value(MASK, Provenance.UNKNOWN));

        // then
        assertEquals(new ConfigRecord.Valid(MASK, Provenance.UNKNOWN), record);
    }

    @Test
    void decodesANullValueAsATombstone() {
        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(TRACE_ID.id()), null);

        // then
        assertEquals(new ConfigRecord.Tombstone(TRACE_ID.id()), record);
    }

    @Test
    void reportsARecordWithoutKey() {
        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, null, BindingRecords.value(MASK, Provenance.UNKNOWN));

        // then
        assertEquals(new ConfigRecord.Invalid(null, List.of(
            new Problem(ORIGIN, "key", "is missing: a binding record needs its identity as key"))), record);
    }

    @Test
    void reportsAnUnreadableKey() {
        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, "add-trace-id".getBytes(StandardCharsets.UTF_8), null);

        // then
        assertEquals(new ConfigRecord.Invalid(null, List.of(
            new Problem(ORIGIN, "key", "not Avro single-object encoded: the bytes do not start with C3 01"))), record);
    }

    @Test
    void reportsAnUnreadableValueWithTheIdentityOfItsKey() {
        // given
        final byte[] value = BindingRecords.value(TRACE_ID, Provenance.UNKNOWN);

        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(TRACE_ID.id()), Arrays.copyOf(value, value.length - 3));

        // then
        final ConfigRecord.Invalid invalid = assertInstanceOf(ConfigRecord.Invalid.class, record);
        assertEquals(TRACE_ID.id(), invalid.id());
        assertEquals(1, invalid.problems().size());
        assertEquals(ORIGIN + " (add-trace-id)", invalid.problems().get(0).source());
        assertEquals("value", invalid.problems().get(0).field());
        assertTrue(invalid.reason().startsWith("value: not a readable BindingValue record: "), invalid.reason());
    }

    @Test
    void judgesARecordOfAnotherToolByTheRulesOfFiles() {
        // given: what no file could publish
        final byte[] key = keyOf(new BindingKey("mask cards", null, "analysts", "alice"));
        final byte[] value = valueOf(BindingValue.newBuilder().setPlugin("field-mask").setPriority(-1).setTopics("(")
            .setConfig("{}").build());

        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, key, value);

        // then
        assertEquals(new ConfigRecord.Invalid(new BindingId("mask cards", new BindingScope(null, "analysts", "alice")), List.of(
            new Problem(ORIGIN, "metadata.name", "must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'"),
            new Problem(ORIGIN, "metadata.scope", "sets both group and username: a scope names a group or a user, not both"),
            new Problem(ORIGIN, "spec.plugin", "unknown plugin 'field-mask' (known: broken, field-masking, header-injection)"),
            new Problem(ORIGIN, "spec.priority", "must be >= 0"),
            new Problem(ORIGIN, "spec.topics", "is not a valid Java regex: Unclosed group near index 1"))), record);
    }

    @Test
    void validatesThePluginConfigOfARecord() {
        // given
        final byte[] value = valueOf(BindingValue.newBuilder().setPlugin("header-injection").setPriority(1)
            .setConfig("{\"headers\":{\"x-a\":1},\"keyFile\":\"" + StubPlugins.SECRET + "\"}").build());

        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(MASK.id()), value);

        // then
        assertEquals(new ConfigRecord.Invalid(MASK.id(), List.of(
            new Problem(ORIGIN + " (mask)", "spec.config.headers.x-a", "must be a string template"),
            new Problem(ORIGIN + " (mask)", "spec.config.keyFile", "unknown field"))), record);
        assertEquals("spec.config.headers.x-a: must be a string template; spec.config.keyFile: unknown field",
            ((ConfigRecord.Invalid) record).reason());
    }

    @Test
    void reportsAConfigThatIsNotJsonWithoutQuotingIt() {
        // given
        final byte[] value = valueOf(BindingValue.newBuilder().setPlugin("header-injection").setPriority(1)
            .setConfig("{\"keyFile\": " + StubPlugins.SECRET + "}").build());

        // when
        final ConfigRecord record = RECORDS.decode(ORIGIN, BindingRecords.key(MASK.id()), value);

        // then: only the config is judged broken; the plugin does not see an empty config in its place
        assertEquals(new ConfigRecord.Invalid(MASK.id(), List.of(
            new Problem(ORIGIN + " (mask)", "spec.config", "is not a JSON text (broken at line 1, column 19)"))), record);
        assertFalse(record.toString().contains(StubPlugins.SECRET));
    }

    @Test
    void reportsAConfigThatIsJsonButNotAnObject() {
        // given
        final byte[] value = valueOf(BindingValue.newBuilder().setPlugin("field-masking").setPriority(1).setConfig("[1]").build());

        // then
        assertEquals(new ConfigRecord.Invalid(MASK.id(), List.of(
                new Problem(ORIGIN + " (mask)", "spec.config", "must be an object (the plugin's settings)"))),
            RECORDS.decode(ORIGIN, BindingRecords.key(MASK.id()), value));
    }

    @Test
    void decodesAnOlderValueVersionThroughTheCatalog() throws IOException {
        // given: a BindingValue written before onError and provenance existed
        final Schema v0 = new Schema.Parser().parse("""
            {"type": "record", "name": "BindingValue", "namespace": "io.sluice.avro", "fields": [
              {"name": "plugin", "type": "string"}, {"name": "priority", "type": "int"}, {"name": "config", "type": "string"}]}""");
        final GenericRecord old = new GenericRecordBuilder(v0).set("plugin", "field-masking").set("priority", 0).set("config", "{}").build();
        final byte[] value = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(old).array();
        final BindingRecords records = new BindingRecords(StubPlugins.registry(), SchemaCatalog.standard().with(List.of(v0)));

        // when
        final ConfigRecord record = records.decode(ORIGIN, BindingRecords.key(MASK.id()), value);

        // then
        assertEquals(new ConfigRecord.Valid(MASK, Provenance.UNKNOWN), record);
    }

    static List<String> brokenResources() {
        return List.of(
            "{plugin: nope, priority: 1}",
            "{plugin: header-injection, priority: -3, config: {headers: {a: 1}}}",
            "{plugin: header-injection, priority: 1, topics: '[', onError: reject, config: {other: x}}",
            "{plugin: broken, priority: 1}");
    }

    @ParameterizedTest
    @MethodSource("brokenResources")
    void findsTheSameProblemsInARecordAsInAFile(final String spec) throws IOException {
        // given: one binding, as a resource and as the record another tool would write
        final JsonNode resource = Json.YAML.readTree("apiVersion: sluice/v1\nkind: Interceptor\n"
            + "metadata: {name: x, scope: {vcluster: v, username: u}}\nspec: " + spec);
        final JsonNode specNode = resource.get("spec");
        final BindingValue value = BindingValue.newBuilder()
            .setPlugin(specNode.get("plugin").textValue())
            .setPriority(specNode.get("priority").intValue())
            .setTopics(specNode.hasNonNull("topics") ? specNode.get("topics").textValue() : null)
            .setOnError(specNode.hasNonNull("onError") ? OnErrorAction.valueOf(specNode.get("onError").textValue().toUpperCase()) : null)
            .setConfig(Json.line(specNode.has("config") ? specNode.get("config") : Json.object()))
            .build();

        // when
        final List<Problem> fromFile = BindingResources.validate(
            List.of(new Document(Path.of("b.yaml"), 1, resource)), StubPlugins.registry()).problems();
        final ConfigRecord fromRecord = RECORDS.decode("b.yaml#1", keyOf(new BindingKey("x", "v", null, "u")), valueOf(value));

        // then
        assertFalse(fromFile.isEmpty());
        assertEquals(fromFile, assertInstanceOf(ConfigRecord.Invalid.class, fromRecord).problems());
    }

    @Test
    void encodesTheConfigAsJsonText() {
        // when
        final BindingValue value = BindingRecords.toValue(TRACE_ID, Provenance.UNKNOWN);

        // then
        assertEquals("{\"headers\":{\"x-trace-id\":\"{{uuid}}\"}}", value.getConfig());
        assertEquals(OnErrorAction.REJECT, value.getOnError());
        assertEquals("orders\\..*", value.getTopics());
        assertNull(value.getAppliedAt());
    }

    private static byte[] keyOf(final BindingKey key) {
        return AvroCodec.of(BindingKey.class).encode(key);
    }

    private static byte[] valueOf(final BindingValue value) {
        return AvroCodec.of(BindingValue.class).encode(value);
    }

    private static JsonNode json(final String text) {
        try {
            return Json.parse(text);
        } catch (final IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

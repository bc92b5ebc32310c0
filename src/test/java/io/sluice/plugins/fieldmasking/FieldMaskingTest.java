package io.sluice.plugins.fieldmasking;

import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static io.sluice.plugins.support.TestRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.chain.ChainRecord;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.ValueFormatException;

class FieldMaskingTest {

    private static final String SALT = "pepper-for-tests-0123456789";

    private static final String AVRO_SCHEMA = """
        {"type": "record", "name": "Payment", "namespace": "test", "fields": [
          {"name": "id", "type": "long"},
          {"name": "card", "type": {"type": "record", "name": "Card", "fields": [
            {"name": "number", "type": "string"},
            {"name": "holder", "type": ["null", "string"], "default": null}]}},
          {"name": "tags", "type": {"type": "array", "items": "string"}}]}""";

    @TempDir
    Path folder;

    private final FieldMaskingFactory factory = new FieldMaskingFactory(Map.of("SALT", SALT, "SHORT", "tiny")::get);

    private Interceptor create(final JsonNode config) {
        assertEquals(List.of(), factory.validate(config));
        return factory.create(new InterceptorSetup("mask", null, null, null, config));
    }

    private JsonNode masked(final String config, final String value) {
        final ChainRecord record = record(value);
        create(json(config)).onSend(record);
        assertFalse(record.isRejected());
        return json(value(record));
    }

    private List<String> problems(final String config) {
        return factory.validate(json(config)).stream().map(ConfigProblem::field).toList();
    }

    @Test
    void masksWithEachStrategy() {
        // when
        final JsonNode out = masked("""
            {'fields': [
              {'path': 'all', 'strategy': 'ALL'},
              {'path': 'first', 'strategy': 'FIRST_N', 'n': 4},
              {'path': 'last', 'strategy': 'last_n', 'n': 4, 'char': '#'},
              {'path': 'none', 'strategy': 'FIRST_N', 'n': 0}]}""",
            "{\"all\": \"secret\", \"first\": \"4111222233334444\", \"last\": \"4111222233334444\", \"none\": \"abc\"}");

        // then
        assertEquals("******", out.get("all").textValue());
        assertEquals("4111************", out.get("first").textValue());
        assertEquals("############4444", out.get("last").textValue());
        assertEquals("***", out.get("none").textValue());
    }

    @Test
    void showsAValueShorterThanNInFull() {
        // when: FIRST_N keeps the first n characters visible; a shorter value has nothing beyond them
        final JsonNode out = masked("{'fields': [{'path': 'pin', 'strategy': 'LAST_N', 'n': 4}]}", "{\"pin\": \"123\"}");

        // then
        assertEquals("123", out.get("pin").textValue());
    }

    @Test
    void countsCharactersNotUtf16Units() {
        // when
        final JsonNode out = masked("{'char': '\u2022', 'fields': [{'path': 'name', 'strategy': 'FIRST_N', 'n': 2}]}",
            "{\"name\": \"Z\u00fc\uD83D\uDE00rich\"}");

        // then
        assertEquals("Z\u00fc\u2022\u2022\u2022\u2022\u2022", out.get("name").textValue());
    }

    @Test
    void aMaskCharacterBeyondTheBmpReplacesEachCharacterOnce() {
        // when
        final JsonNode out = masked("{'char': '\uD83D\uDD12', 'fields': [{'path': 'pin', 'strategy': 'LAST_N', 'n': 1}]}",
            "{\"pin\": \"1234\"}");

        // then
        assertEquals("\uD83D\uDD12\uD83D\uDD12\uD83D\uDD124", out.get("pin").textValue());
    }

    @Test
    void masksNumbersAsTextAndEverythingInsideObjectsAndArrays() {
        // when
        final JsonNode out = masked("{'fields': [{'path': 'cvv', 'strategy': 'ALL'}, {'path': 'address', 'strategy': 'ALL'},"
                + " {'path': 'items[*].sku', 'strategy': 'LAST_N', 'n': 1}, {'path': 'nothing', 'strategy': 'ALL'}, {'path': 'no.such', 'strategy': 'ALL'}]}",
            "{\"cvv\": 123, \"address\": {\"street\": \"Main\", \"no\": 5, \"lines\": [\"a\", true]}, \"items\": [{\"sku\": \"AB\"}, {\"sku\": \"CD\"}], \"nothing\": null}");

        // then
        assertEquals(json("{'cvv': '***', 'address': {'street': '****', 'no': '*', 'lines': ['*', '****']},"
            + " 'items': [{'sku': '*B'}, {'sku': '*D'}], 'nothing': null}"), out);
    }

    @Test
    void hashesWithTheSaltSoEqualValuesStayJoinable() throws Exception {
        // given
        final String config = "{'saltEnv': 'SALT', 'fields': [{'path': 'email', 'strategy': 'HASH'}, {'path': 'other', 'strategy': 'HASH'}]}";

        // when
        final JsonNode out = masked(config, "{\"email\": \"ann@example.com\", \"other\": \"ann@example.com\"}");

        // then
        final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(SALT.getBytes(StandardCharsets.UTF_8));
        final String expected = HexFormat.of().formatHex(sha256.digest("ann@example.com".getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, out.get("email").textValue());
        assertEquals(out.get("email"), out.get("other"));
    }

    @Test
    void readsTheSaltFromAFileAndADifferentSaltGivesADifferentHash() throws Exception {
        // given
        final Path saltFile = folder.resolve("salt");
        Files.writeString(saltFile, "another-salt-of-enough-length\n");
        final ObjectNode config = (ObjectNode) json("{'fields': [{'path': 'email', 'strategy': 'HASH'}]}");
        config.put("saltFile", saltFile.toString());
        final ChainRecord record = record("{\"email\": \"ann@example.com\"}");

        // when
        create(config).onSend(record);
        final JsonNode withEnvSalt = masked("{'saltEnv': 'SALT', 'fields': [{'path': 'email', 'strategy': 'HASH'}]}",
            "{\"email\": \"ann@example.com\"}");

        // then
        assertEquals(64, json(value(record)).get("email").textValue().length());
        assertNotEquals(withEnvSalt.get("email"), json(value(record)).get("email"));
    }

    @Test
    void throwsOnANonJsonValueSoThatRejectFailsClosed() {
        // given
        final Interceptor interceptor = create(json("{'fields': [{'path': 'card', 'strategy': 'ALL'}]}"));
        final ChainRecord record = record("card=4111111111111111");

        // when
        final ValueFormatException thrown = assertThrows(ValueFormatException.class, () -> interceptor.onSend(record));

        // then: rejected by default, and the message does not quote the value as a JSON parser would
        assertEquals(OnError.REJECT, factory.defaultOnError());
        assertFalse(thrown.getMessage().contains("4111"), thrown.getMessage());
        assertEquals("card=4111111111111111", value(record));
    }

    @Test
    void passesTombstones() {
        // given
        final ChainRecord record = record(null);

        // when
        create(json("{'fields': [{'path': 'card', 'strategy': 'ALL'}]}")).onSend(record);

        // then
        assertNull(record.value());
    }

    @Test
    void masksAvroValuesWithTheSchemaOfTheBinding() throws Exception {
        // given
        final Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
        final GenericRecord card = new GenericData.Record(schema.getField("card").schema());
        card.put("number", "4111222233334444");
        card.put("holder", "Ann Smith");
        final GenericRecord payment = new GenericData.Record(schema);
        payment.put("id", 7L);
        payment.put("card", card);
        payment.put("tags", List.of("vip", "eu"));
        final ObjectNode config = (ObjectNode) json("{'fields': [{'path': 'card.number', 'strategy': 'LAST_N', 'n': 4},"
            + " {'path': 'card.holder', 'strategy': 'ALL'}, {'path': 'tags[*]', 'strategy': 'FIRST_N', 'n': 1}]}");
        config.set("avroSchema", json(AVRO_SCHEMA));
        final ChainRecord record = TestRecords.record(TestRecords.CONTEXT, avro(schema, payment));

        // when
        create(config).onSend(record);

        // then
        final GenericRecord out = new GenericDatumReader<GenericRecord>(schema)
            .read(null, DecoderFactory.get().binaryDecoder(record.value(), null));
        assertEquals(7L, out.get("id"));
        assertEquals("************4444", ((GenericRecord) out.get("card")).get("number").toString());
        assertEquals("*********", ((GenericRecord) out.get("card")).get("holder").toString());
        assertEquals("[v**, e*]", out.get("tags").toString());
    }

    @Test
    void throwsOnAValueThatIsNotAvroOfTheSchema() throws Exception {
        // given
        final Path schemaFile = folder.resolve("payment.avsc");
        Files.writeString(schemaFile, AVRO_SCHEMA);
        final ObjectNode config = (ObjectNode) json("{'fields': [{'path': 'card.number', 'strategy': 'ALL'}]}");
        config.put("avroSchemaFile", schemaFile.toString());
        final Interceptor interceptor = create(config);

        // then
        final ValueFormatException thrown = assertThrows(ValueFormatException.class,
            () -> interceptor.onSend(record("{\"card\": {\"number\": \"4111\"}}")));
        assertTrue(thrown.getMessage().startsWith("the value is not Avro of schema test.Payment"), thrown.getMessage());
    }

    private static byte[] avro(final Schema schema, final GenericRecord datum) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void checksAvroPathsAgainstTheSchema() {
        // given
        final ObjectNode config = (ObjectNode) json("{'fields': [{'path': 'id', 'strategy': 'ALL'}, {'path': 'card.cvv', 'strategy': 'ALL'},"
            + " {'path': 'card', 'strategy': 'ALL'}, {'path': 'tags.x', 'strategy': 'ALL'}, {'path': 'card.holder', 'strategy': 'ALL'}]}");
        config.put("avroSchema", AVRO_SCHEMA);

        // when
        final List<ConfigProblem> problems = factory.validate(config);

        // then
        assertEquals(List.of("fields[0].path", "fields[1].path", "fields[2].path", "fields[3].path"),
            problems.stream().map(ConfigProblem::field).toList());
        assertEquals("'id' leads to a long in the Avro schema; only string fields can be masked", problems.get(0).message());
        assertEquals("'card.cvv' names no field of the Avro schema: record test.Card has no field 'cvv'", problems.get(1).message());
    }

    @Test
    void reportsEveryConfigProblemWithItsField() {
        // then
        assertEquals(List.of("fields"), problems("{}"));
        assertEquals(List.of("fields"), problems("{'fields': []}"));
        assertEquals(List.of("fields[0].path", "fields[0].strategy"), problems("{'fields': [{}]}"));
        assertEquals(List.of("fields[0].strategy"), problems("{'fields': [{'path': 'a', 'strategy': 'BLUR'}]}"));
        assertEquals(List.of("fields[0].n"), problems("{'fields': [{'path': 'a', 'strategy': 'FIRST_N'}]}"));
        assertEquals(List.of("fields[0].n"), problems("{'fields': [{'path': 'a', 'strategy': 'LAST_N', 'n': -1}]}"));
        assertEquals(List.of("fields[0].n"), problems("{'fields': [{'path': 'a', 'strategy': 'ALL', 'n': 2}]}"));
        assertEquals(List.of("fields[1].path"), problems("{'fields': [{'path': 'a', 'strategy': 'ALL'}, {'path': 'a..b', 'strategy': 'ALL'}]}"));
        assertEquals(List.of("char", "fields[0].char"), problems("{'char': '**', 'fields': [{'path': 'a', 'strategy': 'ALL', 'char': 'xy'}]}"));
        assertEquals(List.of("fields[0].mode"), problems("{'fields': [{'path': 'a', 'strategy': 'ALL', 'mode': 'x'}]}"));
    }

    /** The message of the creation failure of a config that validates: what lives on the instance is wrong. */
    private String creationFailure(final String config) {
        assertEquals(List.of(), factory.validate(json(config)), "validation reads no file or variable");
        return assertThrows(IllegalArgumentException.class,
            () -> factory.create(new InterceptorSetup("mask", null, null, null, json(config)))).getMessage();
    }

    @Test
    void requiresAGoodSaltForHash() {
        // then: the config's shape is checked by validation
        assertEquals(List.of("saltFile"), problems("{'fields': [{'path': 'a', 'strategy': 'HASH'}]}"));
        assertEquals(List.of("salt", "saltFile"), problems("{'salt': 'inline-salt-is-not-allowed', 'fields': [{'path': 'a', 'strategy': 'HASH'}]}"));
        // and the salt itself when the instance creates the interceptor
        final String tooShort = creationFailure("{'saltEnv': 'SHORT', 'fields': [{'path': 'a', 'strategy': 'HASH'}]}");
        assertEquals("saltEnv: the salt is 4 bytes long; use at least 16", tooShort);
        assertFalse(tooShort.contains("tiny"));
        assertEquals("saltEnv: the environment variable 'UNSET' is not set",
            creationFailure("{'saltEnv': 'UNSET', 'fields': [{'path': 'a', 'strategy': 'HASH'}]}"));
    }

    @Test
    void reportsAnUnreadableAvroSchema() {
        // then
        assertEquals(List.of("avroSchema"), problems("{'avroSchema': {'type': 'record'}, 'fields': [{'path': 'a', 'strategy': 'ALL'}]}"));
        assertEquals(List.of("avroSchema"), problems("{'avroSchema': 'x', 'avroSchemaFile': 'y', 'fields': [{'path': 'a', 'strategy': 'ALL'}]}"));
        assertEquals("avroSchemaFile: cannot read '/no/such.avsc': no such file",
            creationFailure("{'avroSchemaFile': '/no/such.avsc', 'fields': [{'path': 'a', 'strategy': 'ALL'}]}"));
    }
}

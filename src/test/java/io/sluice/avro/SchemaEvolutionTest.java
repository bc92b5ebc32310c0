package io.sluice.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Records written with other versions of a schema, made up here: the catalog must resolve them to ours. */
class SchemaEvolutionTest {

    /** An older BindingValue: no onError, no provenance fields. */
    private static final Schema BINDING_VALUE_V0 = new Schema.Parser().parse("""
        {"type": "record", "name": "BindingValue", "namespace": "io.sluice.avro", "fields": [
          {"name": "plugin", "type": "string"},
          {"name": "priority", "type": "int"},
          {"name": "topics", "type": ["null", "string"], "default": null},
          {"name": "config", "type": "string"}
        ]}""");

    /** A BindingValue with fields we do not have, as another tool might write. */
    private static final Schema BINDING_VALUE_EXTENDED = new Schema.Parser().parse("""
        {"type": "record", "name": "BindingValue", "namespace": "io.sluice.avro", "fields": [
          {"name": "owner", "type": {"type": "record", "name": "Owner", "fields": [{"name": "team", "type": "string"}]}},
          {"name": "plugin", "type": "string"},
          {"name": "labels", "type": {"type": "array", "items": "string"}},
          {"name": "priority", "type": "int"},
          {"name": "annotations", "type": {"type": "map", "values": "string"}},
          {"name": "config", "type": "string"},
          {"name": "checksum", "type": "bytes"}
        ]}""");

    /** A BindingValue whose priority became a string: not resolvable to ours. */
    private static final Schema BINDING_VALUE_INCOMPATIBLE = new Schema.Parser().parse("""
        {"type": "record", "name": "BindingValue", "namespace": "io.sluice.avro", "fields": [
          {"name": "plugin", "type": "string"},
          {"name": "priority", "type": "string"},
          {"name": "config", "type": "string"}
        ]}""");

    @Test
    void decodesAnOlderVersionWithTheDefaultsOfTheNewFields() throws IOException {
        // given
        final GenericRecord old = new GenericRecordBuilder(BINDING_VALUE_V0)
            .set("plugin", "header-injection").set("priority", 7).set("topics", "orders\\..*").set("config", "{}")
            .build();
        final byte[] bytes = encode(BINDING_VALUE_V0, old);
        final AvroCodec<BindingValue> codec = AvroCodec.of(BindingValue.class, SchemaCatalog.standard().with(List.of(BINDING_VALUE_V0)));

        // when
        final BindingValue value = codec.decode(bytes);

        // then
        assertEquals(BindingValue.newBuilder().setPlugin("header-injection").setPriority(7).setTopics("orders\\..*")
            .setConfig("{}").build(), value);
        assertNull(value.getOnError());
        assertNull(value.getAppliedBy());
    }

    @Test
    void cannotDecodeAVersionTheCatalogDoesNotHave() throws IOException {
        // given
        final byte[] bytes = encode(BINDING_VALUE_V0, new GenericRecordBuilder(BINDING_VALUE_V0)
            .set("plugin", "chaos").set("priority", 1).set("config", "{}").build());

        // when
        final AvroDecodingException error = assertThrows(AvroDecodingException.class, () -> AvroCodec.of(BindingValue.class).decode(bytes));

        // then
        assertTrue(error.getMessage().startsWith("unknown schema fingerprint "), error.getMessage());
    }

    @Test
    void skipsFieldsOurVersionDoesNotHave() throws IOException {
        // given
        final GenericRecord extended = new GenericRecordBuilder(BINDING_VALUE_EXTENDED)
            .set("owner", new GenericRecordBuilder(BINDING_VALUE_EXTENDED.getField("owner").schema()).set("team", "platform").build())
            .set("plugin", "chaos")
            .set("labels", List.of("a", "b", "c"))
            .set("priority", 3)
            .set("annotations", Map.of("ticket", "OPS-1", "reviewed", "yes"))
            .set("config", "{\"duplicatePercent\":5}")
            .set("checksum", ByteBuffer.wrap(new byte[] {1, 2, 3}))
            .build();
        final AvroCodec<BindingValue> codec = AvroCodec.of(BindingValue.class,
            SchemaCatalog.standard().with(List.of(BINDING_VALUE_EXTENDED)));

        // when
        final BindingValue value = codec.decode(encode(BINDING_VALUE_EXTENDED, extended));

        // then
        assertEquals(BindingValue.newBuilder().setPlugin("chaos").setPriority(3).setConfig("{\"duplicatePercent\":5}").build(), value);
    }

    @Test
    void reportsAVersionThatCannotBeResolvedToOurs() throws IOException {
        // given
        final byte[] bytes = encode(BINDING_VALUE_INCOMPATIBLE, new GenericRecordBuilder(BINDING_VALUE_INCOMPATIBLE)
            .set("plugin", "chaos").set("priority", "high").set("config", "{}").build());
        final AvroCodec<BindingValue> codec = AvroCodec.of(BindingValue.class,
            SchemaCatalog.standard().with(List.of(BINDING_VALUE_INCOMPATIBLE)));

        // when
        final AvroDecodingException error = assertThrows(AvroDecodingException.class, () -> codec.decode(bytes));

        // then
        assertTrue(error.getMessage().startsWith("not a readable BindingValue record: "), error.getMessage());
    }

    @Test
    void decodesAnOlderAckEventWithoutViolationsAsNoViolations() throws IOException {
        // given: the current AckEvent minus its last field
        final Schema current = AckEvent.getClassSchema();
        final List<Schema.Field> fields = current.getFields().stream()
            .filter(field -> !field.name().equals("violations"))
            .map(field -> new Schema.Field(field, field.schema()))
            .toList();
        final Schema older = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
        final AckEvent event = Events.fullAck();
        final GenericRecord record = toGeneric(event, older);
        final AvroCodec<AckEvent> codec = AvroCodec.of(AckEvent.class, SchemaCatalog.standard().with(List.of(older)));

        // when
        final AckEvent decoded = codec.decode(encode(older, record));

        // then
        assertEquals(List.of(), decoded.getViolations());
        assertEquals(event.getChain(), decoded.getChain());
        assertEquals(event.getContext(), decoded.getContext());
    }

    // The specific record, field by field, as a generic record of a schema with a subset of its fields.
    private static GenericRecord toGeneric(final AckEvent event, final Schema schema) throws IOException {
        final byte[] full = AvroCodec.of(AckEvent.class).encode(event);
        final GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(AckEvent.getClassSchema(), schema);
        return reader.read(null, DecoderFactory.get().binaryDecoder(full, 10, full.length - 10, null));
    }

    private static byte[] encode(final Schema schema, final GenericRecord record) throws IOException {
        // Avro's own single-object encoder: the format is the standard one, not ours.
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record).array();
    }
}

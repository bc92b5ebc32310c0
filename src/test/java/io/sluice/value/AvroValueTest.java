package io.sluice.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.FieldType;
import io.sluice.spi.ValueFormatException;

/** Typed leaves behind the view: Avro strings stay strings, a field that cannot hold a string fails closed. */
@Timeout(30)
class AvroValueTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
        {"type": "record", "name": "Payment", "namespace": "test", "fields": [
          {"name": "amount", "type": "long"},
          {"name": "note", "type": ["null", "string"]},
          {"name": "token", "type": "bytes"},
          {"name": "tags", "type": {"type": "array", "items": "string"}}]}""");

    @Test
    void replacesStringsAndBytesAndKeepsTheFraming() throws Exception {
        // given
        final byte[] framing = {0, 0, 0, 0, 7};
        final AvroValueCodec codec = AvroValueCodec.of(SCHEMA);
        final AvroValue value = new AvroValue("confluent-avro", 7, SCHEMA, codec.decode(payment()).datum(), framing,
            codec::write);

        // when
        final int selected = value.apply(FieldEdits.builder()
            .replace(FieldPath.parse("note"), field -> field.setString("[" + field.text() + "]"))
            .replace(FieldPath.parse("token"), field -> field.setString("sealed:" + new String(field.encoded(), StandardCharsets.UTF_8)))
            .replaceLeaves(FieldPath.parse("tags"), field -> field.setString(field.text().toUpperCase(java.util.Locale.ROOT)))
            .build());

        // then
        assertEquals(3, selected, "note, token, tags (one selection each)");
        final byte[] encoded = value.encode();
        assertEquals(0, encoded[0]);
        assertEquals(7, encoded[4]);
        final byte[] payload = java.util.Arrays.copyOfRange(encoded, 5, encoded.length);
        final GenericRecord back = (GenericRecord) codec.read(payload, 0);
        assertEquals("[hi]", back.get("note").toString());
        assertEquals("sealed:raw", StandardCharsets.UTF_8.decode((ByteBuffer) back.get("token")).toString());
        assertEquals("[A, B]", back.get("tags").toString());
        assertEquals(12L, back.get("amount"));
    }

    @Test
    void aFieldThatCannotHoldAStringFailsClosedNamingFieldAndType() throws Exception {
        // given
        final AvroValue value = AvroValueCodec.of(SCHEMA).decode(payment());
        final FieldType[] seen = new FieldType[1];

        // when
        final ValueFormatException thrown = assertThrows(ValueFormatException.class, () -> value.apply(FieldEdits.of(
            FieldPath.parse("amount"), FieldEdits.Mode.REPLACE, field -> {
                seen[0] = field.type();
                field.setString("ciphertext");
            })));

        // then
        assertEquals(FieldType.NUMBER, seen[0]);
        assertEquals("field 'amount' is an Avro long, which cannot hold a string (only string and bytes fields can be"
            + " masked or encrypted)", thrown.getMessage());
    }

    private static byte[] payment() throws Exception {
        final GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("amount", 12L);
        record.put("note", "hi");
        record.put("token", ByteBuffer.wrap("raw".getBytes(StandardCharsets.UTF_8)));
        record.put("tags", java.util.List.of("a", "b"));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<Object>(SCHEMA).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}

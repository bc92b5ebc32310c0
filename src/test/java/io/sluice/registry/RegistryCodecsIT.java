package io.sluice.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.spi.DecodedValue;
import io.sluice.spi.ValueFormatException;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.value.JsonCodec;

/** The registry codecs on their own, against a real registry: formats by schema type, framing kept, Protobuf refused. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RegistryCodecsIT {

    @RegisterExtension
    static final SchemaRegistry REGISTRY = SchemaRegistry.shared();

    private static final String USER = """
        {"type":"record","name":"User","namespace":"codecs","fields":[{"name":"name","type":"string"}]}""";

    private final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.of(URI.create(REGISTRY.url())));
    private final ConfluentAvro avro = new ConfluentAvro(client);
    private final ConfluentJson json = new ConfluentJson(client);
    private final AutoCodec auto = new AutoCodec(client, avro, json);

    @Test
    void autoReadsFramedValuesByTheirSchemaTypeAndEverythingElseAsJson() throws Exception {
        final int avroId = client.register("codecs-user-value", SchemaType.AVRO, USER);
        final int jsonId = client.register("codecs-json-value", SchemaType.JSON,
            "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}");
        final byte[] framedAvro = WireFormat.frame(avroId, user("ann"));
        final byte[] framedJson = WireFormat.frame(jsonId, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertEquals(ConfluentAvro.FORMAT, auto.formatOf(framedAvro));
        assertEquals(avroId, auto.schemaIdOf(framedAvro));
        assertEquals(ConfluentJson.FORMAT, auto.formatOf(framedJson));
        assertEquals(JsonCodec.FORMAT, auto.formatOf("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        // unchanged values encode to the same bytes, framing and id included
        final DecodedValue decoded = auto.decode(framedAvro);
        assertEquals(avroId, decoded.schemaId());
        assertArrayEquals(framedAvro, decoded.encode());
        assertArrayEquals(framedJson, auto.decode(framedJson).encode());
    }

    @Test
    void aProtobufSchemaIdIsRefusedWithTheReason() {
        final int id = client.register("codecs-proto-value", SchemaType.PROTOBUF,
            "syntax = \"proto3\";\npackage codecs;\nmessage Point { int32 x = 1; }\n");
        final byte[] framed = WireFormat.frame(id, new byte[] {8, 1});
        final ValueFormatException refused = assertThrows(ValueFormatException.class, () -> auto.check(framed));
        assertTrue(refused.getMessage().contains("PROTOBUF") && refused.getMessage().contains("not supported yet"),
            refused.getMessage());
        assertThrows(ValueFormatException.class, () -> avro.decode(framed));
    }

    @Test
    void aFrameTooShortForItsIdIsTruncated() {
        final ValueFormatException truncated = assertThrows(ValueFormatException.class,
            () -> auto.check(new byte[] {0, 0, 0, 1}));
        assertTrue(truncated.getMessage().startsWith("truncated frame: 4 bytes"), truncated.getMessage());
        assertThrows(UnknownSchemaException.class, () -> auto.check(WireFormat.frame(Integer.MAX_VALUE, new byte[] {2})));
    }

    private static byte[] user(final String name) throws Exception {
        final Schema schema = new Schema.Parser().parse(USER);
        final GenericRecord user = new GenericData.Record(schema);
        user.put("name", name);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(user, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}

package io.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;
import io.sluice.registry.RegistryCodecs;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistrySettings;
import io.sluice.registry.SchemaType;
import io.sluice.registry.WireFormat;
import io.sluice.testkit.SchemaRegistry;

/**
 * A 200-byte order, as JSON and as framed Avro (the same fields), for {@link PluginBenchmark}'s masking
 * comparison. The Avro schema is registered in a real registry (the test kit's Apicurio) and the registry codecs
 * are installed, as {@code sluice run} does with a {@code schemaRegistry}; after the first record the schema
 * comes from the client's cache, as in production.
 */
final class SmallOrders {

    static final int SIZE = 200;
    static final String MASKING = "{\"fields\": [{\"path\": \"card.number\", \"strategy\": \"LAST_N\", \"n\": 4},"
        + " {\"path\": \"card.cvv\", \"strategy\": \"ALL\"}, {\"path\": \"customer.email\", \"strategy\": \"ALL\"}]}";
    private static final String SCHEMA = """
        {"type":"record","name":"Order","namespace":"bench","fields":[
          {"name":"id","type":"string"},{"name":"amount","type":"double"},{"name":"currency","type":"string"},
          {"name":"card","type":{"type":"record","name":"Card","fields":[
            {"name":"number","type":"string"},{"name":"cvv","type":"string"},{"name":"expiry","type":"string"}]}},
          {"name":"customer","type":{"type":"record","name":"Customer","fields":[
            {"name":"id","type":"string"},{"name":"email","type":"string"}]}},
          {"name":"note","type":"string"}]}""";

    private SmallOrders() {
    }

    static byte[] json() throws IOException {
        final ObjectNode order = Json.object();
        order.put("id", "order-1001").put("amount", 1234.5).put("currency", "EUR");
        order.putObject("card").put("number", "4111111111111111").put("cvv", "123").put("expiry", "12/29");
        order.putObject("customer").put("id", "c-77").put("email", "ann.smith@example.com");
        order.put("note", "");
        order.put("note", "x".repeat(SIZE - Json.MAPPER.writeValueAsBytes(order).length));
        return Json.MAPPER.writeValueAsBytes(order);
    }

    static byte[] framedAvro() throws IOException {
        final SchemaRegistry registry = SchemaRegistry.shared();
        registry.start();
        final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.of(URI.create(registry.url())));
        final int id = client.register("bench-orders-value", SchemaType.AVRO, SCHEMA);
        RegistryCodecs.install(client);
        final Schema schema = new Schema.Parser().parse(SCHEMA);
        final GenericRecord order = new GenericData.Record(schema);
        order.put("id", "order-1001");
        order.put("amount", 1234.5);
        order.put("currency", "EUR");
        final GenericRecord card = new GenericData.Record(schema.getField("card").schema());
        card.put("number", "4111111111111111");
        card.put("cvv", "123");
        card.put("expiry", "12/29");
        order.put("card", card);
        final GenericRecord customer = new GenericData.Record(schema.getField("customer").schema());
        customer.put("id", "c-77");
        customer.put("email", "ann.smith@example.com");
        order.put("customer", customer);
        order.put("note", "");
        // pad with the note; its length prefix grows by a byte past 63 characters
        int note = SIZE - WireFormat.HEADER_LENGTH - encode(schema, order).length;
        byte[] framed;
        do {
            order.put("note", "x".repeat(note--));
            framed = WireFormat.frame(id, encode(schema, order));
        } while (framed.length > SIZE);
        if (framed.length != SIZE) {
            throw new IllegalStateException("the Avro order is " + framed.length + " bytes, not " + SIZE);
        }
        return framed;
    }

    private static byte[] encode(final Schema schema, final GenericRecord order) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(order, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}

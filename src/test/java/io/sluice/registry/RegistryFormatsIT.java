package io.sluice.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.audit.AuditDecoder;
import io.sluice.avro.AckEvent;
import io.sluice.cli.SluiceCommand;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.RunningSluice;
import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.TcpProxy;

/**
 * Framed Avro and JSON Schema values through the field plugins, on a real broker and a real schema registry
 * (Apicurio, Confluent API), under exactly_once_v2; what comes out is read back the way a schema-aware consumer
 * reads it (the writer schema from the registry by the record's id, Avro's generic reader).
 * <p>
 * Sluice reaches the registry through a {@link TcpProxy}, so that one test can take the registry out of reach and
 * bring it back. The decrypted view {@code rf.orders.enc -> rf.orders.clear} is a second application (one
 * topology does not route the topic it writes).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RegistryFormatsIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();
    @RegisterExtension
    static final SchemaRegistry REGISTRY = SchemaRegistry.shared();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String KEY_ID = "orders-2026";
    private static final String ORDER = """
        {"type":"record","name":"Order","namespace":"com.acme","fields":[
          {"name":"id","type":"string"},{"name":"card","type":"string"},
          {"name":"email","type":"string"},{"name":"amount","type":"long"}]}""";
    private static final String PAYMENT = """
        {"$schema":"http://json-schema.org/draft-07/schema#","title":"Payment","type":"object",
         "properties":{"amount":{"type":"number"}},"required":["amount"]}""";

    @TempDir
    static Path dir;

    private static byte[] key;
    private static TcpProxy proxy;
    private static SchemaRegistryClient registry;
    private static Schema orderSchema;
    private static int orderId;
    private static int paymentId;
    private static SluiceApp app;
    private static SluiceApp clearView;

    @BeforeAll
    static void startSluiceWithBindings() throws Exception {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
        final Path keyFile = Files.writeString(dir.resolve("orders.key"), Base64.getEncoder().encodeToString(key));
        final byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        final Path kekFile = Files.writeString(dir.resolve("cards.kek"), Base64.getEncoder().encodeToString(kek));
        registry = new SchemaRegistryClient(SchemaRegistrySettings.of(URI.create(REGISTRY.url())));
        orderId = registry.register("rf.orders.in-value", SchemaType.AVRO, ORDER);
        paymentId = registry.register("rf.payments.in-value", SchemaType.JSON, PAYMENT);
        orderSchema = new Schema.Parser().parse(ORDER);
        proxy = new TcpProxy(REGISTRY.port());
        final String viaProxy = "http://127.0.0.1:" + proxy.port() + SchemaRegistry.CONFLUENT_API;
        for (final String topic : List.of("rf.orders.in", "rf.payments.in", "rf.typed.in", "rf.cards.in")) {
            KAFKA.createTopic(topic, 1);
        }
        app = start(write("topology.yaml", """
            applicationId: rf
            configTopic: rf_bindings
            auditTopics: {acks: rf_acks, commits: rf_commits}
            rejectedTopic: rf_rejected
            schemaRegistry: {url: "%1$s", timeout: 3s}
            keyTopic: rf_keys
            keyrings:
              cards: {kekFile: "%2$s", dekScope: user}
            routes:
              - {ingress: rf.orders.in, egress: rf.orders.enc}
              - {ingress: rf.payments.in, egress: rf.payments.out}
              - {ingress: rf.typed.in, egress: rf.typed.out}
              - {ingress: rf.cards.in, egress: rf.cards.sealed}
            """.formatted(viaProxy, kekFile)), "state");
        clearView = start(write("clear.yaml", """
            applicationId: rf-clear
            configTopic: rf_bindings
            auditTopics: {acks: rf_clear_acks, commits: rf_clear_commits}
            rejectedTopic: rf_clear_rejected
            schemaRegistry: {url: "%1$s", timeout: 3s}
            keyTopic: rf_keys
            keyrings:
              cards: {kekFile: "%2$s", dekScope: user}
            routes:
              - {ingress: rf.orders.enc, egress: rf.orders.clear}
              - {ingress: rf.cards.sealed, egress: rf.cards.clear}
            """.formatted(viaProxy, kekFile)), "clear-state");
        final Path bindings = write("bindings.yaml", """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: mask-card}
            spec:
              plugin: field-masking
              priority: 10
              topics: "rf\\\\.orders\\\\.in"
              config:
                fields: [{path: card, strategy: LAST_N, n: 4}]
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: encrypt-email}
            spec:
              plugin: field-encryption
              priority: 20
              topics: "rf\\\\.orders\\\\.in"
              config: {keyId: %1$s, keyFile: %2$s, fields: [email]}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: decrypt-email, scope: {group: auditors}}
            spec:
              plugin: field-decryption
              priority: 20
              topics: "rf\\\\.orders\\\\.enc"
              config: {keyId: %1$s, keyFile: %2$s, fields: [email]}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: encrypt-amount}
            spec:
              plugin: field-encryption
              priority: 20
              topics: "rf\\\\.typed\\\\.in"
              config: {keyId: %1$s, keyFile: %2$s, fields: [amount]}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: seal-card}
            spec:
              plugin: field-encryption
              priority: 20
              topics: "rf\\\\.cards\\\\.in"
              config: {keyring: cards, fields: [card]}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: open-card}
            spec:
              plugin: field-decryption
              priority: 20
              topics: "rf\\\\.cards\\\\.sealed"
              config: {keyring: cards, fields: [card]}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: payments-schema}
            spec:
              plugin: schema-validation
              priority: 10
              topics: "rf\\\\.payments\\\\.in"
              config: {subject: rf.payments.in-value, version: latest}
            """.formatted(KEY_ID, keyFile));
        final StringWriter out = new StringWriter();
        final int status = SluiceCommand.execute(new String[] {"bindings", "apply", "-f", bindings.toString(),
            "--config-topic", "rf_bindings", "--bootstrap-servers", KAFKA.bootstrapServers()},
            new PrintWriter(out, true), new PrintWriter(out, true));
        assertEquals(0, status, out.toString());
        RunningSluice.awaitBindings(app, 7);
        RunningSluice.awaitBindings(clearView, 7);
    }

    @AfterAll
    static void stop() {
        try {
            if (clearView != null) {
                clearView.close();
            }
        } finally {
            try {
                if (app != null) {
                    app.close();
                }
            } finally {
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
    }

    @Test
    void masksAndEncryptsAvroFieldsUnderTheSameSchemaId() throws Exception {
        // when
        final RecordMetadata ingress = produce("rf.orders.in", "o-1", order("o-1", "4111111111111234",
            "alice@example.com", 4200), "alice", "sales");

        // then a schema-aware consumer reads the egress record with the registry: same id, masked card, sealed email
        final ConsumerRecord<byte[], byte[]> out = await("rf.orders.enc", "o-1");
        assertEquals(orderId, WireFormat.schemaId(out.value()));
        final GenericRecord order = read(out.value());
        assertEquals("************1234", order.get("card").toString());
        assertEquals(4200L, order.get("amount"));
        assertEquals("o-1", order.get("id").toString());
        final String email = order.get("email").toString();
        assertFalse(email.contains("alice"), email);
        assertEquals("alice@example.com", decrypt(email, "email"), "a string field's text is what is sealed");
        assertEquals(KEY_ID, KafkaClients.header(out, "sluice-key-id"));
        assertEquals("ACKNOWLEDGED", ack("rf_acks", ingress).getOutcome().name());
    }

    @Test
    void aKeyringSealsAnAvroFieldWithTheUsersDataKeyAndTheClearViewOpensIt() throws Exception {
        // when
        final RecordMetadata ingress = produce("rf.cards.in", "c-1", order("c-1", "4111111111111111",
            "dora@example.com", 5), "dora", "sales");

        // then: the sealed record keeps its schema id; the card is ciphertext under dora's data key, named in the
        // record and in the acknowledgement event
        final ConsumerRecord<byte[], byte[]> sealed = await("rf.cards.sealed", "c-1");
        assertEquals(orderId, WireFormat.schemaId(sealed.value()));
        final GenericRecord sealedOrder = read(sealed.value());
        assertFalse(sealedOrder.get("card").toString().contains("4111"), sealedOrder.get("card").toString());
        assertEquals("dora@example.com", sealedOrder.get("email").toString(), "only the card is sealed");
        final String dataKey = KafkaClients.header(sealed, "sluice-key-id");
        assertTrue(dataKey != null && !dataKey.isEmpty(), "the record names its data key");
        assertEquals(List.of(dataKey), ack("rf_acks", ingress).getDataKeys());

        // and: the clear view, another application, opens it with the key from the key topic
        final ConsumerRecord<byte[], byte[]> clear = await("rf.cards.clear", "c-1");
        assertEquals(orderId, WireFormat.schemaId(clear.value()));
        assertEquals("4111111111111111", read(clear.value()).get("card").toString());
    }

    @Test
    void theDecryptedViewIsForTheAllowedGroupOnly() throws Exception {
        // when
        produce("rf.orders.in", "o-bob", order("o-bob", "4000000000000002", "bob@example.com", 1), "bob", "auditors");
        produce("rf.orders.in", "o-carol", order("o-carol", "4000000000000003", "carol@example.com", 2), "carol", "sales");

        // then
        final GenericRecord bob = read(await("rf.orders.clear", "o-bob").value());
        final ConsumerRecord<byte[], byte[]> carolRecord = await("rf.orders.clear", "o-carol");
        final GenericRecord carol = read(carolRecord.value());
        assertEquals("bob@example.com", bob.get("email").toString(), "an auditor's record is decrypted");
        assertEquals("************0002", bob.get("card").toString(), "masking is not undone");
        assertNotEquals("carol@example.com", carol.get("email").toString(), "others keep the ciphertext");
        assertEquals("carol@example.com", decrypt(carol.get("email").toString(), "email"));
        assertEquals(orderId, WireFormat.schemaId(carolRecord.value()));
    }

    @Test
    void encryptingAFieldThatIsNotAStringOrBytesIsRejectedNamingTheFieldAndItsType() throws Exception {
        final RecordMetadata ingress = produce("rf.typed.in", "t-1", order("t-1", "4111", "t@example.com", 7), "dan", "sales");
        final AckEvent ack = ack("rf_acks", ingress);
        assertEquals("REJECTED", ack.getOutcome().name());
        assertTrue(ack.getError().getMessage().contains("'amount'") && ack.getError().getMessage().contains("long"),
            ack.getError().getMessage());
        // (a record's event is written only once its writes are: egress is read to its end)
        assertEquals(0, KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(), "rf.typed.out", TIMEOUT,
            IsolationLevel.READ_COMMITTED).size(), "nothing on egress");
    }

    @Test
    void anUnknownSchemaIdIsRejectedAsUnknownSchema() throws Exception {
        final byte[] value = WireFormat.frame(987_654, encode(order("u-1", "4111", "u@example.com", 1)));
        final RecordMetadata ingress = produce("rf.orders.in", "u-1", value, "erin", "sales");
        final AckEvent ack = ack("rf_acks", ingress);
        assertEquals("REJECTED", ack.getOutcome().name());
        assertEquals("UNKNOWN_SCHEMA", ack.getError().getKind());
        assertTrue(ack.getError().getMessage().contains("987654"), ack.getError().getMessage());
        assertArrayEquals(value, rejected("u-1").value(), "the rejected topic has the record as it came");
    }

    @Test
    void aTruncatedFrameOrAnUndecodablePayloadIsRejectedWithoutQuotingTheValue() throws Exception {
        final RecordMetadata truncated = produce("rf.orders.in", "x-1", new byte[] {0, 0, 1}, "erin", "sales");
        final byte[] garbage = WireFormat.frame(orderId, "secret-payload-text".getBytes(StandardCharsets.UTF_8));
        final RecordMetadata undecodable = produce("rf.orders.in", "x-2", garbage, "erin", "sales");

        final AckEvent first = ack("rf_acks", truncated);
        assertEquals("REJECTED", first.getOutcome().name());
        assertTrue(first.getError().getMessage().contains("truncated frame"), first.getError().getMessage());
        final AckEvent second = ack("rf_acks", undecodable);
        assertEquals("REJECTED", second.getOutcome().name());
        final String reason = second.getError().getMessage();
        assertTrue(reason.contains("does not decode under its Avro schema (id " + orderId), reason);
        assertFalse(reason.contains("secret") || reason.contains("payload-text"), reason);
        assertFalse(KafkaClients.header(rejected("x-2"), "sluice-reason").contains("secret"));
    }

    @Test
    void jsonSchemaValuesAreValidatedBySubject() throws Exception {
        final byte[] valid = WireFormat.frame(paymentId, "{\"amount\":12.5}".getBytes(StandardCharsets.UTF_8));
        final byte[] invalid = WireFormat.frame(paymentId, "{\"amount\":\"twelve\"}".getBytes(StandardCharsets.UTF_8));
        final byte[] otherSubject = WireFormat.frame(orderId, encode(order("p-3", "4111", "p@example.com", 3)));
        final RecordMetadata first = produce("rf.payments.in", "p-1", valid, "fay", "sales");
        final RecordMetadata second = produce("rf.payments.in", "p-2", invalid, "fay", "sales");
        final RecordMetadata third = produce("rf.payments.in", "p-3", otherSubject, "fay", "sales");

        assertArrayEquals(valid, await("rf.payments.out", "p-1").value(), "a valid value passes as it came");
        assertEquals("ACKNOWLEDGED", ack("rf_acks", first).getOutcome().name());
        final AckEvent wrongType = ack("rf_acks", second);
        assertEquals("REJECTED", wrongType.getOutcome().name());
        assertTrue(wrongType.getError().getMessage().contains("does not match its JSON Schema"),
            wrongType.getError().getMessage());
        final AckEvent wrongSubject = ack("rf_acks", third);
        assertEquals("REJECTED", wrongSubject.getOutcome().name());
        assertTrue(wrongSubject.getError().getMessage().contains("is not registered under subject rf.payments.in-value"),
            wrongSubject.getError().getMessage());
    }

    @Test
    void aRegistryOutOfReachIsRetriedThenTheRecordIsRejectedAndProcessingResumesWhenItIsBack() throws Exception {
        // given a schema id Sluice has not seen yet
        final String evolved = ORDER.replace("{\"name\":\"amount\",\"type\":\"long\"}",
            "{\"name\":\"amount\",\"type\":\"long\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
        final int evolvedId = registry.register("rf.outage-value", SchemaType.AVRO, evolved);
        final Schema evolvedSchema = new Schema.Parser().parse(evolved);
        final GenericRecord record = new GenericData.Record(evolvedSchema);
        record.put("id", "d-1");
        record.put("card", "4111111111119999");
        record.put("email", "down@example.com");
        record.put("amount", 5L);
        final byte[] value = WireFormat.frame(evolvedId, encode(record, evolvedSchema));

        // when the registry is out of reach
        proxy.cut();
        final RecordMetadata during;
        final AckEvent rejectedAck;
        try {
            during = produce("rf.orders.in", "d-1", value, "gus", "sales");
            rejectedAck = ack("rf_acks", during);
        } finally {
            proxy.restore();
        }

        // then the record was retried for the timeout, then rejected with the reason: not lost, not passed unmasked
        assertEquals("REJECTED", rejectedAck.getOutcome().name());
        assertEquals("SCHEMA_REGISTRY_UNAVAILABLE", rejectedAck.getError().getKind());
        assertTrue(rejectedAck.getError().getMessage().contains("unavailable for 3000 ms"),
            rejectedAck.getError().getMessage());
        assertArrayEquals(value, rejected("d-1").value());

        // and once it is back, the same schema id is processed again
        final RecordMetadata after = produce("rf.orders.in", "d-2", value, "gus", "sales");
        assertEquals("ACKNOWLEDGED", ack("rf_acks", after).getOutcome().name());
        final ConsumerRecord<byte[], byte[]> out = await("rf.orders.enc", "d-2");
        assertEquals(evolvedId, WireFormat.schemaId(out.value()));
        assertEquals("************9999", read(out.value()).get("card").toString());
    }

    // ---- helpers

    private static GenericRecord order(final String id, final String card, final String email, final long amount) {
        final GenericRecord order = new GenericData.Record(orderSchema);
        order.put("id", id);
        order.put("card", card);
        order.put("email", email);
        order.put("amount", amount);
        return order;
    }

    private static byte[] encode(final GenericRecord record) {
        return encode(record, orderSchema);
    }

    private static byte[] encode(final GenericRecord record, final Schema schema) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What a schema-aware consumer does: the writer schema by the record's id, from the registry. */
    private static GenericRecord read(final byte[] value) throws Exception {
        final Schema writer = new Schema.Parser().parse(registry.schemaById(WireFormat.schemaId(value)).schema());
        return (GenericRecord) new GenericDatumReader<>(writer).read(null, DecoderFactory.get()
            .binaryDecoder(value, WireFormat.HEADER_LENGTH, value.length - WireFormat.HEADER_LENGTH, null));
    }

    private static RecordMetadata produce(final String topic, final String recordKey, final GenericRecord order,
                                          final String user, final String groups) {
        return produce(topic, recordKey, WireFormat.frame(orderId, encode(order)), user, groups);
    }

    private static RecordMetadata produce(final String topic, final String recordKey, final byte[] value,
                                          final String user, final String groups) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                recordKey.getBytes(StandardCharsets.UTF_8), value);
            record.headers().add("sluice-user", user.getBytes(StandardCharsets.UTF_8));
            record.headers().add("sluice-groups", groups.getBytes(StandardCharsets.UTF_8));
            return KafkaClients.await(producer.send(record));
        }
    }

    /** The record with this key once it is in the topic (read_committed). */
    private static ConsumerRecord<byte[], byte[]> await(final String topic, final String recordKey) throws Exception {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            final List<ConsumerRecord<byte[], byte[]>> records = KAFKA.consumeBytes(topic, Integer.MAX_VALUE,
                Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED);
            for (final ConsumerRecord<byte[], byte[]> record : records) {
                if (record.key() != null && recordKey.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    return record;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no record with key " + recordKey + " in " + topic + " within " + TIMEOUT);
    }

    private static ConsumerRecord<byte[], byte[]> rejected(final String recordKey) throws Exception {
        return await("rf_rejected", recordKey);
    }

    /** The acknowledgement event of an ingress record, decoded as `sluice audit` does (framed: the registry). */
    private static AckEvent ack(final String topic, final RecordMetadata ingress) throws Exception {
        final AuditDecoder<AckEvent> decoder = AuditDecoder.acks(registry);
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (final ConsumerRecord<byte[], byte[]> record : KAFKA.consumeBytes(topic, Integer.MAX_VALUE,
                Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED)) {
                for (final AckEvent event : decoder.decode(record.value())) {
                    if (event.getIngress().getTopic().equals(ingress.topic())
                        && event.getIngress().getPartition() == ingress.partition()
                        && event.getIngress().getOffset() == ingress.offset()) {
                        return event;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no acknowledgement event for " + ingress + " in " + topic + " within " + TIMEOUT);
    }

    private static String decrypt(final String fieldText, final String path) throws Exception {
        final byte[] sealed = Base64.getDecoder().decode(fieldText);
        assertEquals(1, sealed[0], "format version");
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 1, 12));
        cipher.updateAAD(("sluice/v1|" + KEY_ID + "|" + path).getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(sealed, 13, sealed.length - 13), StandardCharsets.UTF_8);
    }

    private static Path write(final String name, final String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static SluiceApp start(final Path topology, final String stateDir) throws InterruptedException {
        return RunningSluice.start(topology, KAFKA.bootstrapServers(), dir.resolve(stateDir));
    }
}

package io.sluice.plugins;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.RunningSluice;
import io.sluice.testkit.TestRecord;

/**
 * The built-in plugins on a real broker, under exactly_once_v2: bindings published with {@code sluice bindings
 * apply}, results read by a plain read_committed consumer, acknowledgement events read with
 * {@code sluice audit acks -o json}.
 * <p>
 * Two Sluice applications share one config topic. The first ({@code plugin-its}) masks and encrypts
 * {@code payments.in -> payments.enc} and applies produce policies to {@code strict.in} and {@code lenient.in}.
 * The second ({@code plugin-its-clear}) is the decrypted view {@code payments.enc -> payments.clear}: one topology
 * may not route a topic it writes (Sluice would process its own output), so a view of an egress topic is a second
 * application. The identity headers ({@code sluice-user}, {@code sluice-groups}) travel with the record to
 * {@code payments.enc}, so the view resolves the same user's chain.
 */
class PluginChainIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long to wait for records that should not come. */
    private static final String KEY_ID = "payments-2026";
    private static final String REJECTED = "pits_rejected";

    @TempDir
    static Path dir;

    private static byte[] key;
    private static Path topologyFile;
    private static SluiceApp app;
    private static SluiceApp clearView;

    @BeforeAll
    static void startSluiceWithBindings() throws Exception {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
        final Path keyFile = Files.writeString(dir.resolve("payments.key"), Base64.getEncoder().encodeToString(key) + "\n");
        KAFKA.createTopic("payments.in", 1);
        KAFKA.createTopic("strict.in", 1);
        KAFKA.createTopic("lenient.in", 1);

        topologyFile = write("topology.yaml", """
            applicationId: plugin-its
            configTopic: pits_bindings
            auditTopics: {acks: pits_acks, commits: pits_commits}
            rejectedTopic: pits_rejected
            processingGuarantee: exactly_once_v2
            routes:
              - {ingress: payments.in, egress: payments.enc, vcluster: payments}
              - {ingress: strict.in, egress: strict.out}
              - {ingress: lenient.in, egress: lenient.out}
            """);
        app = start(topologyFile, "state");
        clearView = start(write("clear-view.yaml", """
            applicationId: plugin-its-clear
            configTopic: pits_bindings
            auditTopics: {acks: pits_clear_acks, commits: pits_clear_commits}
            rejectedTopic: pits_clear_rejected
            processingGuarantee: exactly_once_v2
            routes:
              - {ingress: payments.enc, egress: payments.clear, vcluster: payments}
            """), "clear-state");

        final Path bindings = write("bindings.yaml", """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: mask-card}
            spec:
              plugin: field-masking
              priority: 10
              topics: "payments\\\\.in"
              config:
                fields:
                  - {path: card.number, strategy: LAST_N, n: 4}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: encrypt-email}
            spec:
              plugin: field-encryption
              priority: 20
              topics: "payments\\\\.in"
              config:
                keyId: %1$s
                keyFile: %2$s
                fields: [email]
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: decrypt-email, scope: {group: auditors}}
            spec:
              plugin: field-decryption
              priority: 20
              topics: "payments\\\\.enc"
              config:
                keyId: %1$s
                keyFile: %2$s
                fields: [email]
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: require-key}
            spec:
              plugin: produce-policy
              priority: 5
              topics: "strict\\\\.in"
              config: {requireKey: true, action: BLOCK}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: report-missing-key}
            spec:
              plugin: produce-policy
              priority: 5
              topics: "lenient\\\\.in"
              config: {requireKey: true, action: INFO}
            """.formatted(KEY_ID, keyFile));
        sluice("bindings", "apply", "-f", bindings.toString(), "--config-topic", "pits_bindings");
        RunningSluice.awaitBindings(app, 5);
        RunningSluice.awaitBindings(clearView, 5);
    }

    @AfterAll
    static void stop() {
        try {
            if (clearView != null) {
                clearView.close();
            }
        } finally {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void masksTheCardNumberAndEncryptsTheEmailOnEgress() throws Exception {
        // given: masking of card.number and encryption of email on payments.in

        // when
        final RecordMetadata ingress = KAFKA.produce("payments.in", TestRecord.of("order-1",
            "{\"id\":1,\"card\":{\"number\":\"4111111111111234\",\"cvv\":\"123\"},\"email\":\"alice@example.com\"}")
            .header("sluice-user", "alice").header("sluice-groups", "sales")).get(0);

        // then: a plain consumer sees the masked number, and an email only the key opens
        final ConsumerRecord<String, String> out = byKey(read("payments.enc", "order-1"), "order-1");
        final JsonNode value = Json.MAPPER.readTree(out.value());
        assertEquals("************1234", value.at("/card/number").asText());
        assertEquals("123", value.at("/card/cvv").asText(), "fields not configured are left alone");
        assertEquals(1, value.get("id").asInt());
        assertEquals(KEY_ID, KafkaClients.header(out, "sluice-key-id"));
        final String email = value.get("email").asText();
        assertFalse(email.contains("alice"), email);
        assertEquals("\"alice@example.com\"", decrypt(email, "email"), "the JSON text of the field, quotes and all");
        assertFalse(out.value().contains("4111111111111234"), out.value());

        // and: the event names the chain in order, and holds neither the plaintext nor the key
        final JsonNode event = ack(ingress);
        assertEquals("ACKNOWLEDGED", event.get("outcome").asText());
        assertEquals("payments.enc", event.at("/egress/topic").asText());
        assertEquals(out.offset(), event.at("/egress/offset").asLong(), "the event points at the egress record");
        assertEquals("mask-card", event.at("/chain/0/name").asText());
        assertEquals("field-masking", event.at("/chain/0/plugin").asText());
        assertEquals("encrypt-email", event.at("/chain/1/name").asText());
        assertEquals("field-encryption", event.at("/chain/1/plugin").asText());
        assertEquals(2, event.get("chain").size());
        for (final String secret : List.of("4111111111111234", "alice@example.com", Base64.getEncoder().encodeToString(key))) {
            assertFalse(event.toString().contains(secret), event::toString);
        }
    }

    @Test
    void decryptsTheEmailOnTheClearViewOnlyForAuditors() throws Exception {
        // given: the clear view payments.enc -> payments.clear decrypts email for the group auditors only

        // when: an auditor and a sales user write to payments.in
        KAFKA.produce("payments.in",
            TestRecord.of("order-audited", "{\"card\":{\"number\":\"5500000000005678\"},\"email\":\"erin@example.com\"}")
                .header("sluice-user", "erin").header("sluice-groups", "staff,auditors"),
            TestRecord.of("order-sales", "{\"card\":{\"number\":\"5500000000004321\"},\"email\":\"bob@example.com\"}")
                .header("sluice-user", "bob").header("sluice-groups", "sales"));

        // then: the auditor's record arrives decrypted, without the key id; the card number stays masked
        final List<ConsumerRecord<String, String>> clear = read("payments.clear", "order-audited", "order-sales");
        final ConsumerRecord<String, String> audited = byKey(clear, "order-audited");
        final JsonNode auditedValue = Json.MAPPER.readTree(audited.value());
        assertEquals("erin@example.com", auditedValue.get("email").asText());
        assertEquals("************5678", auditedValue.at("/card/number").asText());
        assertEquals(null, KafkaClients.header(audited, "sluice-key-id"), "no longer encrypted");
        assertEquals("erin", KafkaClients.header(audited, "sluice-user"), "the identity travelled with the record");

        // and: the sales user's record stays encrypted, as on payments.enc
        final ConsumerRecord<String, String> sales = byKey(clear, "order-sales");
        final String email = Json.MAPPER.readTree(sales.value()).get("email").asText();
        assertNotEquals("bob@example.com", email);
        assertEquals("\"bob@example.com\"", decrypt(email, "email"));
        assertEquals(KEY_ID, KafkaClients.header(sales, "sluice-key-id"));
        assertFalse(sales.value().contains("bob@example.com"), sales.value());
    }

    @Test
    void showsABlockRejectionAndAnInfoViolationInTheAckEvents() throws Exception {
        // given: produce-policy requireKey with BLOCK on strict.in and INFO on lenient.in

        // when: a keyless record goes to each
        final RecordMetadata strict = KAFKA.produce("strict.in", TestRecord.of(null, "{\"strict\":true}")
            .header("sluice-user", "carol")).get(0);
        final RecordMetadata lenient = KAFKA.produce("lenient.in", TestRecord.of(null, "{\"lenient\":true}")
            .header("sluice-user", "carol")).get(0);

        // then: the blocked record is on the rejected topic with the reason, and its event says REJECTED by whom
        final ConsumerRecord<String, String> rejected = rejectedRecord("{\"strict\":true}");
        assertEquals("require-key", KafkaClients.header(rejected, "sluice-rejected-by"));
        assertEquals("the record has no key", KafkaClients.header(rejected, "sluice-reason"));
        final JsonNode blocked = ack(strict);
        // its event is committed with whatever the record wrote: nothing up to the end of strict.out
        assertTrue(KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(), "strict.out", TIMEOUT,
            IsolationLevel.READ_COMMITTED).isEmpty(), "nothing reaches strict.out");
        assertEquals("REJECTED", blocked.get("outcome").asText());
        assertTrue(blocked.get("egress").isNull());
        assertEquals("require-key", blocked.at("/error/interceptor").asText());
        assertEquals("the record has no key", blocked.at("/error/message").asText());

        // and: the reported record passes, and its event lists the violation
        final List<ConsumerRecord<String, String>> passed = KAFKA.consume("lenient.out", 1, TIMEOUT,
            IsolationLevel.READ_COMMITTED);
        assertEquals(1, passed.size());
        assertEquals("{\"lenient\":true}", passed.get(0).value());
        final JsonNode reported = ack(lenient);
        assertEquals("ACKNOWLEDGED", reported.get("outcome").asText());
        assertEquals("lenient.out", reported.at("/egress/topic").asText());
        assertEquals(1, reported.get("violations").size(), reported.toString());
        assertEquals("report-missing-key", reported.at("/violations/0/interceptor").asText());
        assertEquals("the record has no key", reported.at("/violations/0/message").asText());
    }

    @Test
    void rejectsAValueThatIsNotJsonWithoutLeakingIt() throws Exception {
        // given: masking of card.number on payments.in (onError defaults to reject)
        final String notJson = "not json {\"card\":{\"number\":\"4111111111119999\"},\"email\":\"leak@example.com\"}";

        // when
        final RecordMetadata ingress = KAFKA.produce("payments.in", TestRecord.of("order-bad", notJson)
            .header("sluice-user", "dave")).get(0);

        // then: the record is on the rejected topic unchanged, with the reason
        final ConsumerRecord<String, String> rejected = rejectedRecord(notJson);
        assertEquals("order-bad", rejected.key());
        assertEquals("dave", KafkaClients.header(rejected, "sluice-user"), "with its ingress headers");
        assertEquals(null, KafkaClients.header(rejected, "sluice-key-id"), "nothing of the chain's work");
        assertEquals("mask-card", KafkaClients.header(rejected, "sluice-rejected-by"));
        assertNotNull(KafkaClients.header(rejected, "sluice-reason"));
        assertFalse(KafkaClients.header(rejected, "sluice-reason").contains("4111111111119999"));

        // and: its event says REJECTED and does not quote the value
        final JsonNode event = ack(ingress);
        assertEquals("REJECTED", event.get("outcome").asText());
        assertEquals("mask-card", event.at("/error/interceptor").asText());
        assertTrue(event.get("egress").isNull());
        assertFalse(event.toString().contains("4111111111119999"), event.toString());
        assertFalse(event.toString().contains("leak@example.com"), event.toString());

        // and: nothing of it reaches egress
        final List<String> egress = KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(), "payments.enc", TIMEOUT,
            IsolationLevel.READ_COMMITTED).stream().map(record -> text(record.key()) + "=" + text(record.value())).toList();
        assertTrue(egress.stream().noneMatch(record -> record.startsWith("order-bad=")
            || record.contains("4111111111119999") || record.contains("leak@example.com")), egress::toString);
    }

    // ---- helpers

    private static String text(final byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Opens a field's ciphertext as FORMAT.md says, with the JDK only. */
    private static String decrypt(final String fieldText, final String path) throws Exception {
        final byte[] sealed = Base64.getDecoder().decode(fieldText);
        assertEquals(1, sealed[0], "format version");
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 1, 12));
        cipher.updateAAD(("sluice/v1|" + KEY_ID + "|" + path).getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(sealed, 13, sealed.length - 13), StandardCharsets.UTF_8);
    }

    /** The records of {@code topic} once those with the given keys are there (read_committed). */
    private static List<ConsumerRecord<String, String>> read(final String topic, final String... keys) {
        return await("records with the keys " + List.of(keys) + " on " + topic).atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> KAFKA.consume(topic, Integer.MAX_VALUE, Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED),
                records -> Stream.of(keys).allMatch(key -> records.stream().anyMatch(record -> key.equals(record.key()))));
    }

    private static ConsumerRecord<String, String> rejectedRecord(final String value) {
        final List<ConsumerRecord<String, String>> records = await("a rejected record holding " + value)
            .atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
            .until(() -> KAFKA.consume(REJECTED, Integer.MAX_VALUE, Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED),
                found -> found.stream().anyMatch(record -> value.equals(record.value())));
        final List<ConsumerRecord<String, String>> matching = records.stream()
            .filter(record -> value.equals(record.value())).toList();
        assertEquals(1, matching.size(), () -> "one rejected record holding " + value + " in " + records);
        return matching.get(0);
    }

    /** The acknowledgement event of the ingress record, as {@code sluice audit acks -o json} prints it. */
    private static JsonNode ack(final RecordMetadata ingress) {
        final List<JsonNode> matching = await("the acknowledgement event of " + ingress).atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> acksOf(ingress), found -> !found.isEmpty());
        assertEquals(1, matching.size(), "one acknowledgement event for " + ingress + ": " + matching);
        return matching.get(0);
    }

    private static List<JsonNode> acksOf(final RecordMetadata ingress) throws Exception {
        final List<JsonNode> matching = new ArrayList<>();
        for (final String line : sluice("audit", "acks", "--topology", topologyFile.toString(), "-o", "json")
            .split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            final JsonNode event = Json.MAPPER.readTree(line);
            if (ingress.topic().equals(event.at("/ingress/topic").asText())
                && ingress.partition() == event.at("/ingress/partition").asInt()
                && ingress.offset() == event.at("/ingress/offset").asLong()) {
                matching.add(event);
            }
        }
        return matching;
    }

    private static ConsumerRecord<String, String> byKey(final List<ConsumerRecord<String, String>> records,
                                                        final String key) {
        final List<ConsumerRecord<String, String>> matching = records.stream()
            .filter(record -> key.equals(record.key())).toList();
        assertEquals(1, matching.size(), () -> "exactly one record with key " + key + " in " + records);
        return matching.get(0);
    }

    private static SluiceApp start(final Path topology, final String stateDir) throws InterruptedException {
        return RunningSluice.start(topology, KAFKA.bootstrapServers(), dir.resolve(stateDir));
    }

    /** Runs a command in this JVM against the test broker; returns what it printed. */
    private static String sluice(final String... args) {
        final String[] withServers = Stream.concat(Stream.of(args),
            Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return out.toString();
    }

    private static Path write(final String name, final String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.cli.SluiceCommand;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.CapturedLogs;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.IdentitySignature;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

/**
 * Key material never shows: encryption bindings with keys in files (a good key, a key too short, a key that is not
 * base64, a key wrongly written inline) and a signed route run through the application on a real broker; then the
 * captured logs, {@code bindings apply} and {@code bindings list} output, audit events and rejected records' headers
 * are searched for every key, as base64 text and as hex.
 */
class ReliabilitySecretsIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void keysAppearNowhere() throws Exception {
        // given: keys in files, and everything Sluice logs captured
        final String good = randomBase64(32);
        final String shortKey = randomBase64(20);
        final String notBase64 = "NOT-BASE64-SECRET-" + randomBase64(24).replace('=', '_');
        final String inline = randomBase64(32);
        final String identityKey = randomBase64(32);
        final List<String> secrets = List.of(good, shortKey, notBase64, inline, identityKey);
        final Path goodFile = Files.writeString(dir.resolve("good.key"), good);
        final Path shortFile = Files.writeString(dir.resolve("short.key"), shortKey);
        final Path notBase64File = Files.writeString(dir.resolve("bad.key"), notBase64);
        final Path identityFile = Files.writeString(dir.resolve("identity.key"), identityKey);
        try (CapturedLogs logs = CapturedLogs.start();
             AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "secrets",
                 ProcessingGuarantee.EXACTLY_ONCE_V2, dir.resolve("state"))) {
            harness.createTopics(1, Map.of());
            final String configTopic = harness.topology.configTopic();

            // when: apply refuses the bad bindings (output captured), the good one is applied
            final String apply = cli("bindings", "apply", "-f", Files.writeString(dir.resolve("bindings.yaml"), """
                apiVersion: sluice/v1
                kind: Interceptor
                metadata: {name: encrypt-card}
                spec: {plugin: field-encryption, priority: 1, config: {fields: [card], keyId: k1, keyFile: '%s'}}
                ---
                apiVersion: sluice/v1
                kind: Interceptor
                metadata: {name: short-key, scope: {username: bob}}
                spec: {plugin: field-encryption, priority: 1, config: {keyId: k2, keyFile: '%s'}}
                ---
                apiVersion: sluice/v1
                kind: Interceptor
                metadata: {name: not-base64, scope: {username: bob}}
                spec: {plugin: field-encryption, priority: 1, config: {keyId: k3, keyFile: '%s'}}
                ---
                apiVersion: sluice/v1
                kind: Interceptor
                metadata: {name: inline, scope: {username: bob}}
                spec: {plugin: field-encryption, priority: 1, config: {keyId: k4, key: '%s'}}
                """.formatted(goodFile, shortFile, notBase64File, inline)).toString(), "--config-topic", configTopic);
            final String applyGood = cli("bindings", "apply", "-f", Files.writeString(dir.resolve("good.yaml"), """
                apiVersion: sluice/v1
                kind: Interceptor
                metadata: {name: encrypt-card}
                spec: {plugin: field-encryption, priority: 1, config: {fields: [card], keyId: k1, keyFile: '%s'}}
                """.formatted(goodFile)).toString(), "--config-topic", configTopic);
            // ... and the bad ones reach the topic anyway, written by another tool
            publish(configTopic, binding("short-key", "{\"keyId\": \"k2\", \"keyFile\": \"" + shortFile + "\"}"),
                binding("not-base64", "{\"keyId\": \"k3\", \"keyFile\": \"" + notBase64File + "\"}"),
                binding("inline", "{\"keyId\": \"k4\", \"key\": \"" + inline + "\"}"));

            final TopologyFile topology = new TopologyFile(harness.topology.applicationId(), configTopic,
                harness.topology.auditTopics(), harness.topology.rejectedTopic(), ProcessingGuarantee.EXACTLY_ONCE_V2,
                List.of(new Route(harness.ingress, harness.egress, null, false, IdentitySignature.fromFile(identityFile))));
            final Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            logs.append(topology.toString());
            final List<AuditHarness.Event<io.sluice.avro.AckEvent>> acks;
            try (SluiceApp app = new SluiceApp(topology, client, dir.resolve("state"), TestPlugins.registry()).start()) {
                assertTrue(app.awaitRunning(AuditHarness.TIMEOUT));
                // signed records: one encrypted, one whose value is not JSON (the encryptor fails: reject);
                // one unsigned (rejected: invalid context)
                final IdentitySignature signer = IdentitySignature.fromFile(identityFile);
                final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                records.add(signed(signer, harness.ingress, "{\"card\": \"4111111111111111\"}"));
                records.add(signed(signer, harness.ingress, "not json"));
                // bob's chain has the bindings whose keys are bad: this instance cannot create them (rejected)
                records.add(signed(signer, harness.ingress, "{\"card\": \"4111111111111111\"}", "bob"));
                records.add(new ProducerRecord<>(harness.ingress, null, utf8("{\"card\": \"1\"}")));
                send(records);
                acks = harness.exactlyAcks(4);
                assertEquals(4, acks.size());
            }
            final String list = cli("bindings", "list", "-o", "json", "--config-topic", configTopic)
                + cli("bindings", "list", "-o", "yaml", "--config-topic", configTopic)
                + cli("bindings", "list", "-o", "table", "--config-topic", configTopic);
            final StringBuilder audit = new StringBuilder();
            acks.forEach(event -> audit.append(event.value()).append('\n')
                .append(new String(event.record().value(), StandardCharsets.ISO_8859_1)).append('\n'));
            final StringBuilder rejected = new StringBuilder();
            for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(),
                harness.topology.rejectedTopic(), AuditHarness.TIMEOUT, IsolationLevel.READ_COMMITTED)) {
                for (final Header header : record.headers()) {
                    rejected.append(header.key()).append('=').append(new String(header.value(), StandardCharsets.UTF_8))
                        .append('\n');
                }
            }
            for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytes(KAFKA.bootstrapServers(),
                harness.topology.auditTopics().commits(), 100, java.time.Duration.ofSeconds(1),
                IsolationLevel.READ_COMMITTED)) {
                audit.append(new String(record.value(), StandardCharsets.ISO_8859_1));
            }

            // then: the runs happened as expected ...
            // apply checks a config's shape: the inline key is refused there; a key file that is too short or not
            // base64 is only read by the instance that creates the interceptor (and rejects bob's record)
            assertTrue(apply.contains("inline") && !apply.contains("short-key") && !apply.contains("not-base64"), apply);
            assertTrue(rejected.toString().contains("could not create an instance: keyFile: the key is"),
                rejected.toString());
            assertTrue(applyGood.isEmpty() || !applyGood.contains("error"), applyGood);
            assertTrue(list.contains("\"status\":\"invalid\""), list);
            assertTrue(rejected.toString().contains("sluice-reason="), rejected.toString());
            System.out.printf("searched %d chars of logs, %d of apply output, %d of list output, %d of audit events,"
                + " %d of rejected headers%n", logs.text().length(), apply.length(), list.length(), audit.length(),
                rejected.length());

            // ... and no key shows anywhere
            final Map<String, String> outputs = Map.of("logs", logs.text(), "bindings apply", apply + applyGood,
                "bindings list", list, "audit events", audit.toString(), "rejected headers", rejected.toString());
            for (final String secret : secrets) {
                CapturedLogs.assertAbsent(CapturedLogs.forms(secret), outputs);
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> signed(final IdentitySignature signer, final String topic,
                                                        final String value) {
        return signed(signer, topic, value, "alice");
    }

    private static ProducerRecord<byte[], byte[]> signed(final IdentitySignature signer, final String topic,
                                                        final String value, final String user) {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, utf8("k"), utf8(value));
        record.headers().add("sluice-user", utf8(user));
        signer.sign(record.headers());
        return record;
    }

    private static String cli(final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", KAFKA.bootstrapServers()));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        SluiceCommand.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return out + err.toString();
    }

    private static Binding binding(final String name, final String config) throws Exception {
        return new Binding(new BindingId(name, new BindingScope(null, null, "bob")), "field-encryption", 1, null, null,
            JSON.readTree(config));
    }

    private static void publish(final String topic, final Binding... bindings) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (final Binding binding : bindings) {
                producer.send(new ProducerRecord<>(topic, BindingRecords.key(binding.id()),
                    BindingRecords.value(binding, Provenance.UNKNOWN)));
            }
        }
    }

    private static void send(final List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (final ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    private static String randomBase64(final int bytes) {
        final byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

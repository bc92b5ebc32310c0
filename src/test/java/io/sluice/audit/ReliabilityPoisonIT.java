package io.sluice.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.cli.SluiceCommand;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaCluster;
import io.sluice.topology.ProcessingGuarantee;

/**
 * Poison input on a real broker: a few thousand bad config records while a valid binding is in force, and ingress
 * records with null, empty, huge, non-UTF-8 and too large parts. The application keeps running, the valid binding
 * stays in force, {@code bindings list} shows the bad identities as invalid, and every ingress record has exactly
 * one acknowledgement event.
 */
class ReliabilityPoisonIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void badConfigRecordsAndOddIngressRecordsNeitherStopNorSkipAnything() throws Exception {
        // given: a running app with one valid binding, 'guard'
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "poison",
            ProcessingGuarantee.EXACTLY_ONCE_V2, stateDir)) {
            harness.createTopics(2, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "200000"));
            final String configTopic = harness.topology.configTopic();
            final BindingId guard = new BindingId("guard", BindingScope.GLOBAL);
            // a built-in plugin, so that the command line (which knows only those) judges it valid too
            final byte[] valid = BindingRecords.value(binding("guard", "header-injection",
                "{\"headers\": {\"x-guard\": \"{{user}}\"}}"), Provenance.UNKNOWN);
            send(harness.bootstrapServers, List.of(new ProducerRecord<>(configTopic, BindingRecords.key(guard), valid)));
            final SluiceApp app = harness.start();

            // when: a few thousand bad config records
            final Random random = new Random(42);
            final List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                final byte[] key = switch (i % 6) {
                    case 0, 1 -> bytes(random, 1 + random.nextInt(64)); // random bytes
                    case 2 -> BindingRecords.key(guard); // the valid binding's key, garbage value
                    default -> BindingRecords.key(new BindingId("bad-" + (i % 50), BindingScope.GLOBAL));
                };
                final byte[] value = switch (i % 6) {
                    case 0 -> bytes(random, random.nextInt(200));
                    case 1 -> null; // a tombstone with an unreadable key
                    case 2 -> bytes(random, 1 + random.nextInt(100));
                    case 3 -> java.util.Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)); // truncated Avro
                    case 4 -> BindingRecords.value(binding("bad-" + (i % 50), "field-masking",
                        "{\"fields\": 5}"), Provenance.UNKNOWN); // a bad plugin config
                    default -> BindingRecords.value(binding("bad-" + (i % 50), "no-such-plugin", "{}"),
                        Provenance.UNKNOWN);
                };
                bad.add(new ProducerRecord<>(configTopic, key, value));
            }
            // the last word on one identity: semantically invalid, validly encoded
            bad.add(new ProducerRecord<>(configTopic, BindingRecords.key(new BindingId("bad-config", BindingScope.GLOBAL)),
                BindingRecords.value(binding("bad-config", "field-masking", "{\"fields\": [{\"path\": \"\"}]}"),
                    Provenance.UNKNOWN)));
            send(harness.bootstrapServers, bad);
            // ... and the guard identity's last record is garbage too: its previous valid version stays in force
            send(harness.bootstrapServers, List.of(new ProducerRecord<>(configTopic, BindingRecords.key(guard),
                "garbage".getBytes(StandardCharsets.UTF_8))));
            // every one of them is invalid: 3,000, 'bad-config' and the guard's garbage
            final int invalid = bad.size() + 1;
            await("the " + invalid + " bad config records to be counted invalid")
                .atMost(AuditHarness.TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> app.configStatus().invalidCount(), count -> count >= invalid);
            assertEquals(invalid, app.configStatus().invalidCount(), "invalid config records");
            assertEquals(1, app.configStatus().appliedCount(), "config records applied: the guard's valid version only");

            // and: odd ingress records, between ordinary ones
            final List<ProducerRecord<byte[], byte[]>> odd = oddIngress(harness.ingress);
            final List<RecordMetadata> written = send(harness.bootstrapServers, odd);

            // then: one acknowledgement event per ingress record
            final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(odd.size());
            assertEquals(odd.size(), acks.size(), "one acknowledgement event per ingress record");
            final Map<String, AckEvent> byIngress = new HashMap<>();
            acks.forEach(event -> byIngress.put(event.value().getIngress().getPartition() + "/"
                + event.value().getIngress().getOffset(), event.value()));
            final List<AckOutcome> outcomes = new ArrayList<>();
            for (final RecordMetadata where : written) {
                final AckEvent ack = byIngress.get(where.partition() + "/" + where.offset());
                assertNotNull(ack, "an event for " + where);
                outcomes.add(ack.getOutcome());
            }
            // in the order of oddIngress: the non-UTF-8 user and the oversized groups header are rejected, the
            // value larger than the egress topic takes failed, every other record passed
            final AckOutcome ack = AckOutcome.ACKNOWLEDGED;
            assertEquals(List.of(ack, ack, ack, ack, ack, ack, ack, ack, AckOutcome.REJECTED, AckOutcome.REJECTED,
                AckOutcome.FAILED, ack), outcomes);
            // the valid binding is still in force for records that pass
            final AckEvent ordinary = byIngress.get(written.get(0).partition() + "/" + written.get(0).offset());
            assertEquals(AckOutcome.ACKNOWLEDGED, ordinary.getOutcome());
            assertEquals("guard", ordinary.getChain().get(0).getName(), "the valid binding stays in force");
            assertEquals("INVALID_CONTEXT", byIngress.get(written.get(8).partition() + "/" + written.get(8).offset())
                .getError().getKind().toString());
            assertEquals("EGRESS_WRITE_FAILED", byIngress.get(written.get(10).partition() + "/"
                + written.get(10).offset()).getError().getKind().toString());
            assertEquals(KafkaStreams.State.RUNNING, app.streams().state(), "the application still runs");

            // and: bindings list shows the invalid identities as invalid, the guard one as valid too
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final int status = SluiceCommand.execute(new String[] {"bindings", "list", "-o", "json",
                "--bootstrap-servers", harness.bootstrapServers, "--config-topic", configTopic},
                new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, status, err.toString());
            final List<String> lines = out.toString().lines().toList();
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"status\":\"invalid\"")
                && line.contains("\"name\":\"bad-config\"")), out.toString());
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"status\":\"invalid\"")
                && line.contains("\"name\":\"bad-7\"")), out.toString());
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"status\":\"valid\"")
                && line.contains("\"name\":\"guard\"")), "the guard's valid version is listed: " + out);
            assertTrue(lines.stream().anyMatch(line -> line.contains("\"status\":\"invalid\"")
                && line.contains("\"name\":\"guard\"")), "and its invalid last record: " + out);
        }
    }

    /** Ordinary records first and last; null/empty keys and values, a 100 KB header, non-UTF-8 headers, too large. */
    private static List<ProducerRecord<byte[], byte[]>> oddIngress(final String topic) {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(topic, utf8("k"), utf8("ordinary")));
        records.add(record(topic, null, utf8("null key")));
        records.add(record(topic, new byte[0], utf8("empty key")));
        records.add(record(topic, utf8("k"), null));
        records.add(record(topic, utf8("k"), new byte[0]));
        records.add(record(topic, null, null));
        final ProducerRecord<byte[], byte[]> hugeHeader = record(topic, utf8("k"), utf8("huge header"));
        hugeHeader.headers().add("x-huge", new byte[100 * 1024]);
        records.add(hugeHeader);
        final ProducerRecord<byte[], byte[]> binaryHeader = record(topic, utf8("k"), utf8("binary header"));
        binaryHeader.headers().add("x-binary", new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3});
        records.add(binaryHeader);
        final ProducerRecord<byte[], byte[]> binaryUser = record(topic, utf8("k"), utf8("binary user"));
        binaryUser.headers().add("sluice-user", new byte[] {(byte) 0xff, (byte) 0xfe});
        records.add(binaryUser);
        final ProducerRecord<byte[], byte[]> hugeUser = record(topic, utf8("k"), utf8("huge user"));
        hugeUser.headers().add("sluice-groups", new byte[100 * 1024]);
        records.add(hugeUser);
        records.add(record(topic, utf8("k"), new byte[300_000])); // more than the egress topic's 200 000 bytes
        records.add(record(topic, utf8("k"), utf8("ordinary again")));
        return records;
    }

    private static ProducerRecord<byte[], byte[]> record(final String topic, final byte[] key, final byte[] value) {
        return new ProducerRecord<>(topic, key, value);
    }

    private static List<RecordMetadata> send(final String bootstrapServers,
                                             final List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (final ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            final List<RecordMetadata> written = new ArrayList<>();
            for (final Future<RecordMetadata> future : sent) {
                written.add(future.get());
            }
            return written;
        }
    }

    private static Binding binding(final String name, final String plugin, final String config) throws Exception {
        return new Binding(new BindingId(name, BindingScope.GLOBAL), plugin, 1, null, null, JSON.readTree(config));
    }

    private static byte[] bytes(final Random random, final int length) {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

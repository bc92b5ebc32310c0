package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.SluiceApp;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.ConsumedRecord;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.OnError;
import io.sluice.spi.SendRecord;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;

/**
 * Misbehaving plugins in an in-process application on a real broker: one throws in every hook (onError skip), one
 * throws on every tenth record (onError reject), one takes 5 ms per record. Every record still gets its one
 * acknowledgement event, errors are counted per interceptor, skip lets the record pass, reject sends it to the
 * rejected topic, and the application stays up.
 */
class ReliabilityPluginsIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    static final int RECORDS = 400;
    static final AtomicInteger SLOW_SENDS = new AtomicInteger();
    static final AtomicInteger SLOW_ACKS = new AtomicInteger();

    @TempDir
    Path stateDir;

    @Test
    void everyRecordIsAcknowledgedWhateverThePluginsDo() throws Exception {
        // given: slow (priority 0), always-throwing with skip (1), every-tenth-throwing with reject (2)
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "misbehaving",
            ProcessingGuarantee.EXACTLY_ONCE_V2, stateDir)) {
            harness.createTopics(2, Map.of());
            publish(harness, binding("slow", "rel-slow", 0, null), binding("always", "rel-always-throwing", 1,
                OnError.SKIP), binding("tenth", "rel-tenth-throwing", 2, OnError.REJECT));
            try (SluiceApp app = start(harness, stateDir)) {

                // when
                final List<TestRecord> records = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    records.add(TestRecord.of("key-" + i, "v-" + i).header("sluice-user", "u" + (i % 3)));
                }
                final List<RecordMetadata> written = harness.produce(records);

                // then: one event per record; every tenth rejected by 'tenth', the others acknowledged
                final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(RECORDS);
                assertEquals(RECORDS, acks.size(), "one acknowledgement event per ingress record");
                final Map<String, AckEvent> byIngress = new HashMap<>();
                acks.forEach(event -> assertNull(byIngress.put(event.value().getIngress().getPartition() + "/"
                    + event.value().getIngress().getOffset(), event.value()), "a second event"));
                for (int i = 0; i < RECORDS; i++) {
                    final AckEvent ack = byIngress.get(written.get(i).partition() + "/" + written.get(i).offset());
                    assertNotNull(ack, "an event for record " + i);
                    final List<String> failedHooks = ack.getInterceptorErrors().stream()
                        .map(error -> error.getInterceptor() + "." + error.getHook()).toList();
                    assertTrue(failedHooks.contains("always.onSend"), "the skipped error is reported: " + failedHooks);
                    if (i % 10 == 0) {
                        assertEquals(AckOutcome.REJECTED, ack.getOutcome(), "record " + i);
                        assertEquals("tenth", ack.getError().getInterceptor());
                        assertTrue(failedHooks.contains("tenth.onSend"), failedHooks.toString());
                    } else {
                        assertEquals(AckOutcome.ACKNOWLEDGED, ack.getOutcome(), "record " + i + ": " + ack);
                        assertNull(ack.getError());
                    }
                }
                // reject: the record, unchanged, on the rejected topic, saying who rejected it
                final List<ConsumerRecord<String, String>> rejected = harness.readToEnd(harness.topology.rejectedTopic());
                assertEquals(RECORDS / 10, rejected.size());
                assertTrue(rejected.stream().allMatch(record -> "tenth".equals(
                    io.sluice.testkit.KafkaClients.header(record, "sluice-rejected-by"))));
                // skip: the others reach egress
                assertEquals(RECORDS - RECORDS / 10, harness.readToEnd(harness.egress).size());

                // and: errors are counted per interceptor, the slow one saw every record and its acknowledgement
                final Map<String, Long> counts = app.hookGuard().counts();
                System.out.println("interceptor errors: " + counts);
                assertEquals(RECORDS / 10, app.hookGuard().count("tenth"));
                assertTrue(app.hookGuard().count("always") >= 2L * RECORDS,
                    "onSend and onAcknowledgement of every record at least: " + counts);
                assertEquals(0, app.hookGuard().count("slow"));
                assertEquals(RECORDS, SLOW_SENDS.get());
                awaitEquals(RECORDS, SLOW_ACKS, Duration.ofSeconds(10));
                assertEquals(KafkaStreams.State.RUNNING, app.streams().state(), "the application still runs");
            }
        }
    }

    private static void awaitEquals(final int expected, final AtomicInteger actual, final Duration timeout) {
        org.awaitility.Awaitility.await("the count to reach " + expected).atMost(timeout)
            .pollInterval(Duration.ofMillis(50)).until(actual::get, count -> count == expected);
    }

    private static SluiceApp start(final AuditHarness harness, final Path stateDir) throws InterruptedException {
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers);
        final List<InterceptorFactory> factories = new ArrayList<>(PluginRegistry.load().factories());
        factories.add(TestPlugins.factory("rel-slow", setup -> new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                SLOW_SENDS.incrementAndGet();
                try {
                    Thread.sleep(5);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
                SLOW_ACKS.incrementAndGet();
            }
        }));
        factories.add(TestPlugins.factory("rel-always-throwing", setup -> new Interceptor() {
            @Override
            public void onConsume(final List<ConsumedRecord> records) {
                throw new IllegalStateException("onConsume fails");
            }

            @Override
            public void onSend(final SendRecord record) {
                throw new IllegalStateException("onSend fails");
            }

            @Override
            public void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
                throw new IllegalStateException("onAcknowledgement fails");
            }

            @Override
            public void onCommit(final List<CommittedOffset> offsets, final Exception error) {
                throw new IllegalStateException("onCommit fails");
            }

            @Override
            public void close() {
                throw new IllegalStateException("close fails");
            }
        }));
        factories.add(TestPlugins.factory("rel-tenth-throwing", setup -> new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                final String value = new String(record.value(), StandardCharsets.UTF_8);
                if (Integer.parseInt(value.substring(2)) % 10 == 0) {
                    throw new IllegalArgumentException("every tenth record fails");
                }
            }
        }));
        final SluiceApp app = new SluiceApp(harness.topology, client, stateDir, new PluginRegistry(factories))
            .start();
        if (!app.awaitRunning(AuditHarness.TIMEOUT)) {
            app.close();
            throw new IllegalStateException("not running");
        }
        return app;
    }

    private static Binding binding(final String name, final String plugin, final int priority, final OnError onError) {
        return new Binding(new BindingId(name, BindingScope.GLOBAL), plugin, priority, null, onError,
            JsonNodeFactory.instance.objectNode());
    }

    private static void publish(final AuditHarness harness, final Binding... bindings) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (final Binding binding : bindings) {
                producer.send(new ProducerRecord<>(harness.topology.configTopic(), BindingRecords.key(binding.id()),
                    BindingRecords.value(binding, Provenance.UNKNOWN)));
            }
        }
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;

class AuditAbortIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path stateDir;

    @Test
    void aStreamThreadDyingMidTransactionLeavesEachEgressRecordAndEachEventExactlyOnce() throws Exception {
        // given: a chain whose second interceptor kills the stream thread on the record 'die', once
        try (AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), "abort",
            ProcessingGuarantee.EXACTLY_ONCE_V2, stateDir)) {
            harness.createTopics(2, Map.of()).publish("abort-recorder", "test-recording", "dier", "test-dying").start();
            final List<TestRecord> records = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                records.add(TestRecord.of("key-" + i, (i == 200 ? "die-" : "value-") + i).header("sluice-user", "u" + i % 3));
            }

            // when
            final List<RecordMetadata> ingress = harness.produce(records);

            // then: read_committed readers see every record once on egress, and one event for each
            final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(records.size());
            assertEquals(records.size(), acks.size(), "one acknowledgement event per ingress record");
            final List<ConsumerRecord<String, String>> egress = harness.readToEnd(harness.egress);
            assertEquals(records.size(), egress.size(), "every record once on egress");
            final Map<String, ConsumerRecord<String, String>> byPosition = egress.stream()
                .collect(Collectors.toMap(record -> record.partition() + "/" + record.offset(), Function.identity()));
            final Map<String, AckEvent> byIngress = new HashMap<>();
            acks.forEach(ack -> byIngress.put(ack.value().getIngress().getPartition() + "/"
                + ack.value().getIngress().getOffset(), ack.value()));
            for (int i = 0; i < records.size(); i++) {
                final AckEvent ack = byIngress.get(ingress.get(i).partition() + "/" + ingress.get(i).offset());
                assertNotNull(ack, "an event for record " + i);
                assertEquals(AckOutcome.ACKNOWLEDGED, ack.getOutcome());
                final TopicPartitionOffset out = ack.getEgress();
                assertEquals(records.get(i).value(), byPosition.get(out.getPartition() + "/" + out.getOffset()).value(),
                    "the event of record " + i + " points at its committed egress record");
            }

            // and: the thread was replaced, and the hooks saw the abort
            assertTrue(TestPlugins.DIED.get("dier").get(), "the dying plugin fired");
            assertTrue(harness.app().streams().metadataForLocalThreads().stream().map(ThreadMetadata::threadName)
                .noneMatch(name -> name.endsWith("StreamThread-1")), "the first stream thread was replaced");
            final TestPlugins.Recording recording = TestPlugins.recording("abort-recorder");
            recording.sends.forEach((key, sends) -> assertEquals(sends.get(),
                recording.acknowledgements.getOrDefault(key, new AtomicInteger()).get(),
                "one onAcknowledgement per onSend of " + key));
            final RecordMetadata died = ingress.get(200);
            final String dying = TestPlugins.coordinates(died.topic(), died.partition(), died.offset());
            assertEquals(2, recording.sends.get(dying).get(), "the record that killed the thread was processed again");
            assertEquals(1, recording.failedAcknowledgements.get(dying).get(), "its first try was not acknowledged");
            assertTrue(recording.failedAcknowledgements.size() > 1,
                "the aborted transaction held egress writes of other records too (each written once in the end)");
        }
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;

/** The {@code chaos} plugin writes every record twice; each ingress record still has exactly one acknowledgement event. */
class ChaosDuplicatesIT {

    private static final int RECORDS = 8;

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path stateDir;

    @Test
    void atLeastOnceADuplicatedRecordWhoseFirstCopyCompletesAtOnceHasOneEvent() throws Exception {
        // given: every record duplicated; the first copy refused by the producer inside send, so that its callback
        // runs before the second copy is sent
        try (AuditHarness harness = start("chaos-alos", ProcessingGuarantee.AT_LEAST_ONCE,
            Map.of(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG),
                FirstCopyTooLarge.class.getName()))) {

            // when
            harness.produce(records());

            // then: one event per ingress record, FAILED (its first copy was not written), the second copy on egress
            final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(RECORDS);
            assertEquals(oncePerOffset(), eventsPerOffset(acks), "acknowledgement events per ingress offset");
            acks.forEach(event -> assertEquals(AckOutcome.FAILED, event.value().getOutcome(), event.value().toString()));
            assertEquals(RECORDS, harness.readToEnd(harness.egress).size(), "the second copies on " + harness.egress);
        }
    }

    @Test
    void exactlyOnceADuplicatedRecordHasOneEventAndTwoEgressCopies() throws Exception {
        // given
        try (AuditHarness harness = start("chaos-eos", ProcessingGuarantee.EXACTLY_ONCE_V2, Map.of())) {

            // when
            harness.produce(records());

            // then
            final List<AuditHarness.Event<AckEvent>> acks = harness.exactlyAcks(RECORDS);
            assertEquals(oncePerOffset(), eventsPerOffset(acks), "acknowledgement events per ingress offset");
            acks.forEach(event -> assertEquals(AckOutcome.ACKNOWLEDGED, event.value().getOutcome(),
                event.value().toString()));
            final List<ConsumerRecord<String, String>> egress = harness.readToEnd(harness.egress);
            assertEquals(2 * RECORDS, egress.size(), "two copies of each record on " + harness.egress);
        }
    }

    private AuditHarness start(final String prefix, final ProcessingGuarantee guarantee,
                               final Map<String, String> client) throws Exception {
        final AuditHarness harness = new AuditHarness(KAFKA.bootstrapServers(), prefix, guarantee,
            stateDir.resolve(prefix));
        harness.createTopics(1, Map.of())
            .publish("twice", "chaos", JsonNodeFactory.instance.objectNode().put("duplicatePercent", 100));
        harness.start(client);
        return harness;
    }

    private static List<TestRecord> records() {
        return IntStream.range(0, RECORDS).mapToObj(i -> TestRecord.of("k" + i, "value-" + i)).toList();
    }

    private static Map<Long, Long> eventsPerOffset(final List<AuditHarness.Event<AckEvent>> acks) {
        final Map<Long, Long> perOffset = new TreeMap<>();
        acks.forEach(event -> perOffset.merge(event.value().getIngress().getOffset(), 1L, Long::sum));
        return perOffset;
    }

    private static Map<Long, Long> oncePerOffset() {
        final Map<Long, Long> once = new TreeMap<>();
        IntStream.range(0, RECORDS).forEach(offset -> once.put((long) offset, 1L));
        return once;
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.BindingLevel;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.Chain;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.RecordContext;
import io.sluice.topology.TopologyFile;

class AuditEventsTest {

    private static final Instant TIME = Instant.ofEpochMilli(1_767_225_600_123L);

    private final AuditEvents events = new AuditEvents("app", new TopologyFile.AuditTopics("acks", "commits"));

    @Test
    void keysKeepOneUsersEventsTogether() {
        assertEquals("payments/alice", new String(AuditEvents.ackKey("payments", "alice"), StandardCharsets.UTF_8));
        assertEquals("payments/", new String(AuditEvents.ackKey("payments", null), StandardCharsets.UTF_8));
    }

    @Test
    void eventIdsAreNameBasedUuidsOfTheIngressCoordinates() {
        final String id = AuditEvents.ackId("app", "orders.in", 3, 42);
        assertEquals(UUID.nameUUIDFromBytes("app/orders.in/3/42".getBytes(StandardCharsets.UTF_8)).toString(), id,
            "a name-based UUID of the application id and the ingress coordinates");
        assertEquals(id, AuditEvents.ackId("app", "orders.in", 3, 42), "the same record gets the same id again");
        assertNotEquals(id, AuditEvents.ackId("app", "orders.in", 3, 43));
        assertNotEquals(id, AuditEvents.ackId("other", "orders.in", 3, 42));
        final List<CommittedOffset> offsets = List.of(new CommittedOffset("a", 1, 5), new CommittedOffset("a", 0, 7));
        assertEquals(AuditEvents.commitId("app", "i", offsets, true),
            AuditEvents.commitId("app", "i", List.of(offsets.get(1), offsets.get(0)), true), "order does not matter");
        assertNotEquals(AuditEvents.commitId("app", "i", offsets, true), AuditEvents.commitId("app", "i", offsets, false));
    }

    @Test
    void anAcknowledgedRecordsEventHasItsEgressChainAndFindings() {
        // given
        final Binding mask = new Binding(new BindingId("mask", new BindingScope("payments", "analysts", null)),
            "field-masking", 20, null, null, JsonNodeFactory.instance.objectNode());
        final Chain chain = new Chain(List.of(mask));
        final RecordOutcome outcome = new RecordOutcome(new RecordContext("payments", "alice", Set.of("ops", "analysts"),
            "orders.in", 3, 42, 0), chain);
        outcome.violation("mask", "a finding");
        outcome.interceptorError("mask", "onSend", "it threw");
        outcome.writeStarted();
        outcome.writeCompleted("orders.out", 1, 40, true);

        // when
        final ProducerRecord<byte[], byte[]> record = events.ack(outcome, TIME);
        final AckEvent event = AuditEvents.ACKS.decode(record.value());

        // then
        assertEquals("acks", record.topic());
        assertEquals(TIME.toEpochMilli(), record.timestamp());
        assertEquals(AckOutcome.ACKNOWLEDGED, event.getOutcome());
        assertEquals(List.of("analysts", "ops"), event.getContext().getGroups(), "groups sorted");
        assertEquals(40L, event.getEgress().getOffset());
        assertNull(event.getError());
        assertEquals(BindingLevel.GROUP, event.getChain().get(0).getLevel());
        assertEquals("analysts", event.getChain().get(0).getScope().getGroup());
        assertEquals("a finding", event.getViolations().get(0).getMessage());
        assertEquals("it threw", event.getInterceptorErrors().get(0).getMessage());
        assertEquals(new String(record.value(), StandardCharsets.ISO_8859_1),
            new String(events.ack(outcome, TIME).value(), StandardCharsets.ISO_8859_1), "the same outcome, the same bytes");
    }

    @Test
    void aRejectedRecordsEventHasTheErrorAndNoEgress() {
        // given
        final RecordOutcome outcome = new RecordOutcome(new RecordContext("default", null, Set.of(), "in", 0, 1, 0),
            Chain.EMPTY);
        outcome.reject(RecordOutcome.ErrorKind.REJECTION, "guard", "too big");
        outcome.writeStarted();
        outcome.writeCompleted("rejected", 0, 9, false);

        // when
        final AckEvent event = AuditEvents.ACKS.decode(events.ack(outcome, TIME).value());

        // then
        assertEquals(AckOutcome.REJECTED, event.getOutcome());
        assertNull(event.getEgress(), "the rejected topic is not egress");
        assertEquals("REJECTION", event.getError().getKind());
        assertEquals("guard", event.getError().getInterceptor());
        assertNull(event.getContext().getUsername());
    }

    @Test
    void batchedEventsGoOutAsOneRecordPerPartitionOnTheirKeysPartitionAndInOrder() {
        // given: the records of twenty users, interleaved, for an acks topic of three partitions
        final AuditEvents batched = new AuditEvents("app", new TopologyFile.AuditTopics("acks", "commits"), true, null);
        final List<RecordOutcome> outcomes = new ArrayList<>();
        for (int offset = 0; offset < 200; offset++) {
            outcomes.add(acknowledged(offset % 20 == 19 ? null : "user" + offset % 20, offset));
        }
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

        // when
        batched.acks(outcomes, TIME, () -> 3, records::add);

        // then
        assertEquals(3, records.size(), "one record per partition the users' keys go to");
        final AuditDecoder<AckEvent> decoder = AuditDecoder.acks(null);
        final List<AckEvent> read = new ArrayList<>();
        for (final ProducerRecord<byte[], byte[]> record : records) {
            assertEquals("acks", record.topic());
            assertEquals(TIME.toEpochMilli(), record.timestamp());
            final List<AckEvent> ofRecord = decoder.decode(record.value());
            final AckEvent first = ofRecord.get(0);
            assertEquals(new String(AuditEvents.ackKey("payments", first.getContext().getUsername()),
                StandardCharsets.UTF_8), new String(record.key(), StandardCharsets.UTF_8), "keyed as its first event");
            for (final AckEvent event : ofRecord) {
                assertEquals(BuiltInPartitioner.partitionForKey(AuditEvents.ackKey("payments",
                    event.getContext().getUsername()), 3), record.partition(),
                    "on the partition its user's key gives, as a single event would be");
            }
            read.addAll(ofRecord);
        }
        for (int user = 0; user < 20; user++) {
            final String username = user == 19 ? null : "user" + user;
            final List<Long> expected = new ArrayList<>();
            for (long offset = user; offset < 200; offset += 20) {
                expected.add(offset);
            }
            assertEquals(expected, read.stream().filter(event -> java.util.Objects.equals(username,
                event.getContext().getUsername())).map(event -> event.getIngress().getOffset()).toList(),
                "the events of " + username + ", each once, in order");
        }
        final List<ProducerRecord<byte[], byte[]>> single = new ArrayList<>();
        events.acks(outcomes, TIME, () -> 3, single::add);
        assertEquals(outcomes.size(), single.size(), "not batched: a record per event");
        assertEquals(single.stream().flatMap(record -> decoder.decode(record.value()).stream()).sorted(
                java.util.Comparator.comparing(event -> event.getIngress().getOffset())).toList(),
            read.stream().sorted(java.util.Comparator.comparing(event -> event.getIngress().getOffset())).toList(),
            "the same events either way");
    }

    private static RecordOutcome acknowledged(final String username, final long offset) {
        final RecordOutcome outcome = new RecordOutcome(new RecordContext("payments", username, Set.of(), "orders.in",
            0, offset, 0), Chain.EMPTY);
        outcome.writeStarted();
        outcome.writeCompleted("orders.out", 0, offset, true);
        return outcome;
    }
}

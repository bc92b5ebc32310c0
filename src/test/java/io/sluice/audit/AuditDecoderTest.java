package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEventBatch;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AvroDecodingException;
import io.sluice.avro.BatchUser;
import io.sluice.avro.BatchedAckEvent;
import io.sluice.avro.SchemaCatalog;
import io.sluice.avro.TopicPartitionOffset;

/** Records of the acks topic that are no readable events fail with one line, whatever is wrong with them. */
class AuditDecoderTest {

    private final AuditDecoder<io.sluice.avro.AckEvent> decoder = AuditDecoder.acks(null);

    @Test
    void aBatchWhoseEventNamesAChainItDoesNotHaveIsUnreadable() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", null,
            List.of(), List.of(List.of()), List.of(event(0), event(5))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class, () -> decoder.decode(batch));

        assertEquals("not a readable AckEventBatch record: an event names chain 5 of 1", e.getMessage());
    }

    @Test
    void aTruncatedBatchIsUnreadable() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", "alice",
            List.of(), List.of(List.of()), List.of(event(0), event(0))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class,
            () -> decoder.decode(Arrays.copyOf(batch, batch.length - 3)));

        assertTrue(e.getMessage().startsWith("not a readable AckEventBatch record"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aCommitTopicsRecordIsNeverReadAsABatch() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", null,
            List.of(), List.of(List.of()), List.of(event(0))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class,
            () -> AuditDecoder.commits(null).decode(batch));

        assertEquals("the record is a io.sluice.avro.AckEventBatch, not a io.sluice.avro.CommitEvent", e.getMessage());
    }

    @Test
    void aBatchWhoseEventNamesAUserItDoesNotHaveIsUnreadable() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", null,
            List.of(new BatchUser("payments", "bob")), List.of(List.of()), List.of(event(2, 0))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class, () -> decoder.decode(batch));

        assertEquals("not a readable AckEventBatch record: an event names user 2 of 2", e.getMessage());
    }

    @Test
    void aBatchOfTheFirstVersionReadsAsOneUsersEvents() throws IOException {
        // given: a batch as version 1 wrote it (one user, in the batch's own fields)
        final Schema v1 = SchemaCatalog.standard().schemas().values().stream()
            .filter(schema -> schema.getFullName().equals(AckEventBatch.getClassSchema().getFullName())
                && schema.getField("users") == null)
            .findFirst().orElseThrow();
        final Schema eventSchema = v1.getField("events").schema().getElementType();
        final GenericRecord ingress = new GenericData.Record(eventSchema.getField("ingress").schema());
        ingress.put("topic", "orders.in");
        ingress.put("partition", 2);
        ingress.put("offset", 7L);
        final GenericRecord event = new GenericData.Record(eventSchema);
        event.put("groups", List.of("ops"));
        event.put("ingress", ingress);
        event.put("egress", null);
        event.put("outcome", new GenericData.EnumSymbol(eventSchema.getField("outcome").schema(), "REJECTED"));
        event.put("error", null);
        event.put("chain", 0);
        event.put("interceptorErrors", List.of());
        event.put("violations", List.of());
        event.put("dataKeys", List.of());
        final GenericRecord batch = new GenericData.Record(v1);
        batch.put("time", 5L);
        batch.put("applicationId", "app");
        batch.put("vcluster", "payments");
        batch.put("username", "alice");
        batch.put("chains", List.of(List.of()));
        batch.put("events", List.of(event));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {(byte) 0xC3, 0x01});
        final long fingerprint = SchemaCatalog.fingerprint(v1);
        for (int i = 0; i < 8; i++) {
            bytes.write((int) (fingerprint >>> (8 * i)) & 0xFF);
        }
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(batch, encoder);
        encoder.flush();

        // when
        final List<io.sluice.avro.AckEvent> events = decoder.decode(bytes.toByteArray());

        // then
        assertEquals(1, events.size());
        assertEquals("payments", events.get(0).getContext().getVcluster());
        assertEquals("alice", events.get(0).getContext().getUsername());
        assertEquals(List.of("ops"), events.get(0).getContext().getGroups());
        assertEquals(7L, events.get(0).getIngress().getOffset());
        assertEquals(AckOutcome.REJECTED, events.get(0).getOutcome());
    }

    private static BatchedAckEvent event(final int chain) {
        return event(0, chain);
    }

    private static BatchedAckEvent event(final int user, final int chain) {
        return new BatchedAckEvent(user, List.of(), new TopicPartitionOffset("orders.in", 0, 1L), null,
            AckOutcome.ACKNOWLEDGED, null, chain, List.of(), List.of(), List.of());
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.avro.AckEventBatch;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AvroDecodingException;
import io.sluice.avro.BatchedAckEvent;
import io.sluice.avro.TopicPartitionOffset;

/** Records of the acks topic that are no readable events fail with one line, whatever is wrong with them. */
class AuditDecoderTest {

    private final AuditDecoder<io.sluice.avro.AckEvent> decoder = AuditDecoder.acks(null);

    @Test
    void aBatchWhoseEventNamesAChainItDoesNotHaveIsUnreadable() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", null,
            List.of(List.of()), List.of(event(0), event(5))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class, () -> decoder.decode(batch));

        assertEquals("not a readable AckEventBatch record: an event names chain 5 of 1", e.getMessage());
    }

    @Test
    void aTruncatedBatchIsUnreadable() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", "alice",
            List.of(List.of()), List.of(event(0), event(0))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class,
            () -> decoder.decode(Arrays.copyOf(batch, batch.length - 3)));

        assertTrue(e.getMessage().startsWith("not a readable AckEventBatch record"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aCommitTopicsRecordIsNeverReadAsABatch() {
        final byte[] batch = AuditEvents.BATCHES.encode(new AckEventBatch(Instant.EPOCH, "app", "payments", null,
            List.of(List.of()), List.of(event(0))));

        final AvroDecodingException e = assertThrows(AvroDecodingException.class,
            () -> AuditDecoder.commits(null).decode(batch));

        assertEquals("the record is a io.sluice.avro.AckEventBatch, not a io.sluice.avro.CommitEvent", e.getMessage());
    }

    private static BatchedAckEvent event(final int chain) {
        return new BatchedAckEvent(List.of(), new TopicPartitionOffset("orders.in", 0, 1L), null,
            AckOutcome.ACKNOWLEDGED, null, chain, List.of(), List.of(), List.of());
    }
}

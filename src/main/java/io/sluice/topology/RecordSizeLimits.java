package io.sluice.topology;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The largest record a topic accepts, so that the chain processor can send a record that would be refused to the
 * rejected topic instead of writing it: under exactly-once, one refused write fails the whole transaction, and
 * the record would fail again each time it is processed.
 */
@FunctionalInterface
public interface RecordSizeLimits {

    /** No limit known: every record is written (for {@code TopologyTestDriver}). */
    RecordSizeLimits NONE = topic -> Integer.MAX_VALUE;

    /** The largest batch of one record, in bytes, that a write to {@code topic} may produce. */
    int maxRecordBytes(String topic);

    /**
     * An upper bound of the size of a batch holding only this record, as the producer and the broker count it
     * (uncompressed): the batch header, then the record with its varint lengths, key, value and headers. Each
     * varint is counted at its largest (5 bytes) and a header name at 3 bytes per character, so the bound is at
     * most a few dozen bytes over.
     */
    static int upperBound(final byte[] key, final byte[] value, final Headers headers) {
        // RecordBatch header (61) + record length, attributes, timestamp and offset deltas, key and value lengths.
        long size = 61 + 5 + 1 + 10 + 5 + 5 + 5 + 5;
        size += key == null ? 0 : key.length;
        size += value == null ? 0 : value.length;
        for (final Header header : headers) {
            size += 5 + 3L * header.key().length() + 5 + (header.value() == null ? 0 : header.value().length);
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }
}

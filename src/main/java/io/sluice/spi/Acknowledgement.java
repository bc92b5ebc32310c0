package io.sluice.spi;

/**
 * What {@code onAcknowledgement} observes for one record.
 *
 * @param context        the record's context and ingress coordinates
 * @param outcome        what became of the record
 * @param egressTopic    the egress topic written to, or {@code null} when not written
 * @param egressPartition the partition the broker acknowledged, or -1
 * @param egressOffset   the offset the broker acknowledged, or -1
 */
public record Acknowledgement(RecordContext context, Outcome outcome,
                              String egressTopic, int egressPartition, long egressOffset) {
}

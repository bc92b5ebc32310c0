package io.sluice.chain;

import java.util.ArrayList;
import java.util.List;

import io.sluice.resolution.Chain;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.Outcome;
import io.sluice.spi.RecordContext;

/**
 * What happened to one ingress record: its context, the chain that ran, errors and findings along the way,
 * its outcome and where it landed. It becomes the record's acknowledgement event, and it remembers the
 * interceptor instances that saw the record in {@code onSend} so each gets exactly one {@code onAcknowledgement}.
 */
public final class RecordOutcome {

    /** Why a record was not acknowledged. */
    public enum ErrorKind {
        /** An interceptor called {@code reject}. */
        REJECTION,
        /** An interceptor failed and its {@code onError} is {@code reject}. */
        INTERCEPTOR_FAILURE,
        /** The identity headers cannot be read (not UTF-8, too long, contradictory). */
        INVALID_CONTEXT,
        /** The ingress topic has no usable route (its egress would be read again). */
        NOT_ROUTED,
        /** The egress write failed. */
        EGRESS_WRITE_FAILED,
        /** The value is framed with a schema id the schema registry does not know. */
        UNKNOWN_SCHEMA,
        /** The schema registry could not give the value's schema within {@code schemaRegistry.timeout}. */
        SCHEMA_REGISTRY_UNAVAILABLE
    }

    public record InterceptorError(String interceptor, String hook, String message) {
    }

    public record Violation(String interceptor, String message) {
    }

    public record Failure(ErrorKind kind, String message, String interceptor) {
    }

    private final RecordContext context;
    private final Chain chain;
    private List<InterceptorError> interceptorErrors;
    private List<Violation> violations;
    /** The key ids of its sluice-key-id header; allocated only for encrypted records. */
    private List<String> dataKeys;
    private List<InstanceHandle> instances;
    private Outcome outcome = Outcome.ACKNOWLEDGED;
    private Failure failure;
    private String egressTopic;
    private int egressPartition = -1;
    private long egressOffset = -1;
    private int pendingWrites;
    /** Between {@link #forwardingStarted} and {@link #forwardingEnded}: more writes of the record may follow. */
    private boolean forwarding;
    private boolean completed;

    public RecordOutcome(final RecordContext context, final Chain chain) {
        this.context = context;
        this.chain = chain;
    }

    public RecordContext context() {
        return context;
    }

    public Chain chain() {
        return chain;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Why the record was not acknowledged, or {@code null}. */
    public Failure failure() {
        return failure;
    }

    public List<InterceptorError> interceptorErrors() {
        return interceptorErrors == null ? List.of() : interceptorErrors;
    }

    public List<Violation> violations() {
        return violations == null ? List.of() : violations;
    }

    /** The instances whose {@code onSend} saw the record, in chain order. */
    public List<InstanceHandle> instances() {
        return instances == null ? List.of() : instances;
    }

    public String egressTopic() {
        return egressTopic;
    }

    public int egressPartition() {
        return egressPartition;
    }

    public long egressOffset() {
        return egressOffset;
    }

    /** An instance holding this record in flight (see {@link InstanceHandle#tryRecordInFlight()}) saw it. */
    void sawInstance(final InstanceHandle handle) {
        if (instances == null) {
            // Sized for the whole chain: growing a list of four to the five of a typical chain copied it per record.
            instances = new ArrayList<>(chain.interceptors().size());
        }
        instances.add(handle);
    }

    public void interceptorError(final String interceptor, final String hook, final String message) {
        if (interceptorErrors == null) {
            interceptorErrors = new ArrayList<>(2);
        }
        interceptorErrors.add(new InterceptorError(interceptor, hook, message));
    }

    /** The key ids the record carried (as it arrived and as it left), for the acknowledgement event. */
    public List<String> dataKeys() {
        return dataKeys == null ? List.of() : dataKeys;
    }

    /** Records a key id the record carried; {@code null} (no header) and repeats are ignored. */
    public void dataKey(final String keyId) {
        if (keyId == null || dataKeys != null && dataKeys.contains(keyId)) {
            return;
        }
        if (dataKeys == null) {
            dataKeys = new ArrayList<>(2);
        }
        dataKeys.add(keyId);
    }

    public void violation(final String interceptor, final String message) {
        if (violations == null) {
            violations = new ArrayList<>(2);
        }
        violations.add(new Violation(interceptor, message));
    }

    public void reject(final ErrorKind kind, final String interceptor, final String message) {
        this.outcome = Outcome.REJECTED;
        this.failure = new Failure(kind, message, interceptor);
    }

    public void writeFailed(final String message) {
        this.outcome = Outcome.FAILED;
        this.failure = new Failure(ErrorKind.EGRESS_WRITE_FAILED, message, null);
    }

    /**
     * The record's writes are about to be handed to the producer. Until {@link #forwardingEnded}, a completed write
     * never completes the record: the first copy of a duplicated record may be acknowledged before the second is
     * even sent.
     */
    public synchronized void forwardingStarted() {
        forwarding = true;
    }

    /** Every write of the record was handed to the producer; returns whether they have all completed already. */
    public synchronized boolean forwardingEnded() {
        forwarding = false;
        return pendingWrites == 0;
    }

    /** A write of this record (egress, a duplicate, or the rejected topic) was handed to the producer. */
    public synchronized void writeStarted() {
        pendingWrites++;
    }

    /**
     * A write completed. The first egress write's coordinates are the record's; returns whether every write
     * of the record has now completed.
     */
    public synchronized boolean writeCompleted(final String topic, final int partition, final long offset,
                                               final boolean egress) {
        if (egress && egressTopic == null && outcome == Outcome.ACKNOWLEDGED) {
            egressTopic = topic;
            egressPartition = partition;
            egressOffset = offset;
        }
        return --pendingWrites == 0 && !forwarding;
    }

    /**
     * A write failed (the broker refused it, or the producer could not send it): the record is {@code FAILED}.
     * Returns whether every write of the record has now completed.
     */
    public synchronized boolean writeCompletedWithFailure(final String message) {
        if (outcome != Outcome.FAILED) {
            final String wasRejected = failure == null ? "" : " (after it was rejected: " + failure.message() + ")";
            outcome = Outcome.FAILED;
            failure = new Failure(ErrorKind.EGRESS_WRITE_FAILED, message + wasRejected, null);
        }
        return --pendingWrites == 0 && !forwarding;
    }

    public synchronized boolean hasPendingWrites() {
        return pendingWrites > 0;
    }

    /** What {@code onAcknowledgement} observes. */
    public Acknowledgement acknowledgement() {
        return new Acknowledgement(context, outcome, egressTopic, egressPartition, egressOffset);
    }

    /** Marks the record done; returns false when it already was (acknowledgements are delivered once). */
    synchronized boolean complete() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }
}

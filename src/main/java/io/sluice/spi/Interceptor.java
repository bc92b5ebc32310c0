package io.sluice.spi;

import java.util.List;

/**
 * One interceptor instance: created for one binding version, closed when that binding is replaced or
 * deleted, and at shutdown. Every hook has a no-op default; implement only those you need.
 *
 * <p>Hooks are called from stream threads, possibly several at once: keep shared state thread-safe.
 * An exception thrown by a hook is caught, counted, reported in the record's acknowledgement event,
 * and then handled by the binding's {@code onError}.
 */
public interface Interceptor extends AutoCloseable {

    /** After ingress records are fetched, before the chain processes them. Observe only. */
    default void onConsume(final List<ConsumedRecord> records) {
    }

    /** Per record, before it is partitioned and written to egress. May mutate or reject. */
    default void onSend(final SendRecord record) {
    }

    /**
     * After the egress write is acknowledged (under exactly-once: committed) or failed; exactly once for
     * every record whose {@code onSend} this instance saw.
     *
     * @param error {@code null} when the record was acknowledged
     */
    default void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
    }

    /**
     * After ingress offsets are committed.
     *
     * @param offsets the committed offsets, filtered to the partitions assigned to this Sluice instance
     * @param error   {@code null} when the commit succeeded
     */
    default void onCommit(final List<CommittedOffset> offsets, final Exception error) {
    }

    /** Releases resources. */
    @Override
    default void close() {
    }
}

package io.sluice.audit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

import io.sluice.spi.CommittedOffset;

/**
 * One stream thread's main consumer, audited: after each fetch, {@code onConsume} (before the records are
 * processed); under at-least-once, after each offset commit, a commit event and {@code onCommit}. Under exactly-once
 * Kafka Streams commits offsets through the producer's transaction instead ({@link AuditingProducer}).
 */
final class AuditingConsumer implements Consumer<byte[], byte[]> {

    private final Consumer<byte[], byte[]> delegate;
    private final Audit audit;
    private final boolean auditCommits;

    AuditingConsumer(final Consumer<byte[], byte[]> delegate, final Audit audit) {
        this.delegate = delegate;
        this.audit = audit;
        this.auditCommits = !audit.exactlyOnce();
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(final Duration timeout) {
        final ConsumerRecords<byte[], byte[]> records = delegate.poll(timeout);
        audit.thread().consumer = this;
        audit.consumeHooks().onConsume(records);
        return records;
    }

    // ---- commits (at-least-once)

    @Override
    public void commitSync() {
        commitSync(positions());
    }

    @Override
    public void commitSync(final Duration timeout) {
        commitSync(positions(), timeout);
    }

    @Override
    public void commitSync(final Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            delegate.commitSync(offsets);
        } catch (final RuntimeException failure) {
            committed(offsets, failure);
            throw failure;
        }
        committed(offsets, null);
    }

    @Override
    public void commitSync(final Map<TopicPartition, OffsetAndMetadata> offsets, final Duration timeout) {
        try {
            delegate.commitSync(offsets, timeout);
        } catch (final RuntimeException failure) {
            committed(offsets, failure);
            throw failure;
        }
        committed(offsets, null);
    }

    @Override
    public void commitAsync() {
        commitAsync(null);
    }

    @Override
    public void commitAsync(final OffsetCommitCallback callback) {
        commitAsync(positions(), callback);
    }

    @Override
    public void commitAsync(final Map<TopicPartition, OffsetAndMetadata> offsets, final OffsetCommitCallback callback) {
        // The callback runs on this thread, inside a later poll or commit.
        delegate.commitAsync(offsets, (committed, failure) -> {
            committed(committed == null ? offsets : committed, failure);
            if (callback != null) {
                callback.onComplete(committed, failure);
            }
        });
    }

    /** A commit completed: its event, then {@code onCommit} of every live instance. */
    private void committed(final Map<TopicPartition, OffsetAndMetadata> offsets, final Exception failure) {
        if (!auditCommits) {
            return;
        }
        final List<CommittedOffset> committed = Audit.assigned(offsets, this);
        if (committed.isEmpty()) {
            return;
        }
        final AuditingProducer producer = audit.thread().producer;
        if (producer != null) {
            producer.writeCommitEvent(committed, failure);
        }
        audit.onCommit(committed, failure);
    }

    /** What the no-argument commits commit: the position of every assigned partition. */
    private Map<TopicPartition, OffsetAndMetadata> positions() {
        final Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (final TopicPartition partition : delegate.assignment()) {
            positions.put(partition, new OffsetAndMetadata(delegate.position(partition)));
        }
        return positions;
    }

    // ---- plain delegation

    @Override
    public Set<TopicPartition> assignment() {
        return delegate.assignment();
    }

    @Override
    public Set<String> subscription() {
        return delegate.subscription();
    }

    @Override
    public void subscribe(final Collection<String> topics) {
        delegate.subscribe(topics);
    }

    @Override
    public void subscribe(final Collection<String> topics, final ConsumerRebalanceListener listener) {
        delegate.subscribe(topics, listener);
    }

    @Override
    public void assign(final Collection<TopicPartition> partitions) {
        delegate.assign(partitions);
    }

    @Override
    public void subscribe(final Pattern pattern, final ConsumerRebalanceListener listener) {
        delegate.subscribe(pattern, listener);
    }

    @Override
    public void subscribe(final Pattern pattern) {
        delegate.subscribe(pattern);
    }

    @Override
    public void subscribe(final SubscriptionPattern pattern, final ConsumerRebalanceListener listener) {
        delegate.subscribe(pattern, listener);
    }

    @Override
    public void subscribe(final SubscriptionPattern pattern) {
        delegate.subscribe(pattern);
    }

    @Override
    public void unsubscribe() {
        delegate.unsubscribe();
    }

    @Override
    public void registerMetricForSubscription(final KafkaMetric metric) {
        delegate.registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(final KafkaMetric metric) {
        delegate.unregisterMetricFromSubscription(metric);
    }

    @Override
    public void seek(final TopicPartition partition, final long offset) {
        delegate.seek(partition, offset);
    }

    @Override
    public void seek(final TopicPartition partition, final OffsetAndMetadata offsetAndMetadata) {
        delegate.seek(partition, offsetAndMetadata);
    }

    @Override
    public void seekToBeginning(final Collection<TopicPartition> partitions) {
        delegate.seekToBeginning(partitions);
    }

    @Override
    public void seekToEnd(final Collection<TopicPartition> partitions) {
        delegate.seekToEnd(partitions);
    }

    @Override
    public long position(final TopicPartition partition) {
        return delegate.position(partition);
    }

    @Override
    public long position(final TopicPartition partition, final Duration timeout) {
        return delegate.position(partition, timeout);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(final Set<TopicPartition> partitions) {
        return delegate.committed(partitions);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(final Set<TopicPartition> partitions,
                                                            final Duration timeout) {
        return delegate.committed(partitions, timeout);
    }

    @Override
    public Uuid clientInstanceId(final Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public List<PartitionInfo> partitionsFor(final String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public List<PartitionInfo> partitionsFor(final String topic, final Duration timeout) {
        return delegate.partitionsFor(topic, timeout);
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics() {
        return delegate.listTopics();
    }

    @Override
    public Map<String, List<PartitionInfo>> listTopics(final Duration timeout) {
        return delegate.listTopics(timeout);
    }

    @Override
    public Set<TopicPartition> paused() {
        return delegate.paused();
    }

    @Override
    public void pause(final Collection<TopicPartition> partitions) {
        delegate.pause(partitions);
    }

    @Override
    public void resume(final Collection<TopicPartition> partitions) {
        delegate.resume(partitions);
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(final Map<TopicPartition, Long> timestamps) {
        return delegate.offsetsForTimes(timestamps);
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(final Map<TopicPartition, Long> timestamps,
                                                                   final Duration timeout) {
        return delegate.offsetsForTimes(timestamps, timeout);
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(final Collection<TopicPartition> partitions) {
        return delegate.beginningOffsets(partitions);
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(final Collection<TopicPartition> partitions,
                                                      final Duration timeout) {
        return delegate.beginningOffsets(partitions, timeout);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(final Collection<TopicPartition> partitions) {
        return delegate.endOffsets(partitions);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(final Collection<TopicPartition> partitions, final Duration timeout) {
        return delegate.endOffsets(partitions, timeout);
    }

    @Override
    public OptionalLong currentLag(final TopicPartition partition) {
        return delegate.currentLag(partition);
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return delegate.groupMetadata();
    }

    @Override
    public void enforceRebalance() {
        delegate.enforceRebalance();
    }

    @Override
    public void enforceRebalance(final String reason) {
        delegate.enforceRebalance(reason);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void close(final Duration timeout) {
        delegate.close(timeout);
    }

    @Override
    public void close(final CloseOptions options) {
        delegate.close(options);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }
}

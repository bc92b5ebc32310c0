package io.sluice.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckEventBatch;
import io.sluice.avro.AuditError;
import io.sluice.avro.AvroCodec;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.CommitOutcome;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.chain.RecordOutcome;
import io.sluice.registry.WireFormat;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.RecordContext;
import io.sluice.topology.TopologyFile;

/**
 * Turns record outcomes and commits into audit records, ready to send: Avro single-object encoded values, keys
 * that keep one user's events in order. One per producer (one stream thread): not thread-safe.
 *
 * <p><b>Keys.</b> An acknowledgement event's key is {@code vcluster + "/" + username} ({@code vcluster + "/"} for
 * the anonymous user), so one user's events land on one partition, in order; a batch goes to the partition its
 * events' keys give, with the first one's key. A commit event's key is the instance that committed.
 *
 * <p><b>Event ids</b> are name-based UUIDs (version 3) of the application id and the ingress coordinates (for a
 * commit: the instance and its offsets), so a record processed again after an abort or a crash gets the same id:
 * readers of at-least-once audit topics can drop duplicates by id.
 */
final class AuditEvents {

    static final AvroCodec<AckEvent> ACKS = AvroCodec.of(AckEvent.class);
    static final AvroCodec<AckEventBatch> BATCHES = AvroCodec.of(AckEventBatch.class);
    static final AvroCodec<CommitEvent> COMMITS = AvroCodec.of(CommitEvent.class);
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    });

    private final String applicationId;
    private final String acksTopic;
    private final String commitsTopic;
    private final AckEventEncoder ackEncoder;
    private final AuditFraming framing;
    /** What an {@code AckEventBatch} starts with, or {@code null} when events are not batched. */
    private final byte[] batchHeader;

    /** One event per acknowledgement record, in single-object encoding. */
    AuditEvents(final String applicationId, final TopologyFile.AuditTopics topics) {
        this(applicationId, topics, false, null);
    }

    /**
     * @param batched whether acknowledgement events go out in batches ({@link #acks})
     * @param framing the registry's schema ids when events are written in its wire format, else {@code null}
     */
    AuditEvents(final String applicationId, final TopologyFile.AuditTopics topics, final boolean batched,
                final AuditFraming framing) {
        this.applicationId = applicationId;
        this.framing = framing;
        this.ackEncoder = framing == null ? new AckEventEncoder(applicationId)
            : new AckEventEncoder(applicationId, WireFormat.header(framing.ackSchemaId()));
        this.batchHeader = !batched ? null
            : framing == null ? BATCHES.singleObjectHeader() : WireFormat.header(framing.batchSchemaId());
        this.acksTopic = topics.acks();
        this.commitsTopic = topics.commits();
    }

    /**
     * The acknowledgement events of records whose writes have all completed, as the records to send: one per
     * outcome, or, when batched, one {@code AckEventBatch} per partition of the acks topic that the events' keys go
     * to — more when they outgrow a batch — in the order of each partition's first outcome. A batch is sent to that
     * partition, keyed as its first event, so a user's events stay on the partition of their key, in order, in both
     * layouts.
     *
     * @param partitions how many partitions the acks topic has (asked only when batched)
     */
    void acks(final List<RecordOutcome> outcomes, final Instant time, final IntSupplier partitions,
              final Consumer<ProducerRecord<byte[], byte[]>> send) {
        if (batchHeader == null) {
            outcomes.forEach(outcome -> send.accept(ack(outcome, time)));
            return;
        }
        if (outcomes.isEmpty()) {
            return;
        }
        final long millis = time.toEpochMilli();
        final int partitionCount = partitions.getAsInt();
        if (partitionCount < 1) {
            throw new IllegalStateException("the acks topic '" + acksTopic + "' has no partitions");
        }
        // By partition, in arrays: a map per transaction showed in profiles with many users.
        @SuppressWarnings("unchecked")
        final List<RecordOutcome>[] byPartition = new List[partitionCount];
        final byte[][] keys = new byte[partitionCount][];
        final int[] order = new int[partitionCount];
        int used = 0;
        RecordContext previous = null;
        int partition = 0;
        for (final RecordOutcome outcome : outcomes) {
            final RecordContext context = outcome.context();
            // Runs of one user's records are common: their key is hashed once.
            if (previous == null || !sameUser(previous, context)) {
                final byte[] key = ackKey(context.vcluster(), context.username());
                partition = BuiltInPartitioner.partitionForKey(key, partitionCount);
                if (byPartition[partition] == null) {
                    byPartition[partition] = new ArrayList<>();
                    keys[partition] = key;
                    order[used++] = partition;
                }
                previous = context;
            }
            byPartition[partition].add(outcome);
        }
        for (int i = 0; i < used; i++) {
            final int target = order[i];
            for (final byte[] batch : ackEncoder.encodeBatches(batchHeader, millis, byPartition[target])) {
                send.accept(new ProducerRecord<>(acksTopic, target, millis, keys[target], batch));
            }
        }
    }

    private static boolean sameUser(final RecordContext left, final RecordContext right) {
        return left.vcluster().equals(right.vcluster()) && Objects.equals(left.username(), right.username());
    }

    /** The acknowledgement event of a record whose writes have all completed. */
    ProducerRecord<byte[], byte[]> ack(final RecordOutcome outcome, final Instant time) {
        final RecordContext context = outcome.context();
        final long millis = time.toEpochMilli();
        final String eventId = ackId(applicationId, context.topic(), context.partition(), context.offset());
        return new ProducerRecord<>(acksTopic, null, millis, ackKey(context.vcluster(), context.username()),
            ackEncoder.encode(eventId, millis, outcome));
    }

    /** A commit event: COMMITTED when {@code error} is null. */
    ProducerRecord<byte[], byte[]> commit(final String instance, final List<CommittedOffset> offsets,
                                          final Exception error, final Instant time) {
        final CommitEvent event = commitEvent(instance, offsets, error, time);
        return record(event);
    }

    CommitEvent commitEvent(final String instance, final List<CommittedOffset> offsets, final Exception error,
                            final Instant time) {
        final List<TopicPartitionOffset> positions = new ArrayList<>(offsets.size());
        offsets.forEach(offset -> positions.add(new TopicPartitionOffset(offset.topic(), offset.partition(),
            offset.offset())));
        return new CommitEvent(commitId(applicationId, instance, offsets, error == null), time, applicationId, instance,
            positions, error == null ? CommitOutcome.COMMITTED : CommitOutcome.FAILED,
            error == null ? null : new AuditError("COMMIT_FAILED", Failures.describe(error), null));
    }

    ProducerRecord<byte[], byte[]> record(final CommitEvent event) {
        return new ProducerRecord<>(commitsTopic, null, event.getTime().toEpochMilli(),
            event.getInstance().getBytes(StandardCharsets.UTF_8), encode(event));
    }

    private byte[] encode(final CommitEvent event) {
        final byte[] singleObject = COMMITS.encode(event);
        if (framing == null) {
            return singleObject;
        }
        final int header = AvroCodec.SINGLE_OBJECT_HEADER_LENGTH;
        return WireFormat.frame(framing.commitSchemaId(), singleObject, header, singleObject.length - header);
    }

    /** The key of a user's acknowledgement events: {@code vcluster/username}, {@code vcluster/} when anonymous. */
    static byte[] ackKey(final String vcluster, final String username) {
        return (vcluster + "/" + (username == null ? "" : username)).getBytes(StandardCharsets.UTF_8);
    }

    /** Topic names and application ids cannot hold '/': the name is unambiguous. */
    static String ackId(final String applicationId, final String topic, final int partition, final long offset) {
        return nameUuid(applicationId + "/" + topic + "/" + partition + "/" + offset);
    }

    /**
     * {@code UUID.nameUUIDFromBytes(name as UTF-8)}, with one digest per thread: looking MD5 up for every event
     * showed in profiles.
     */
    static String nameUuid(final String name) {
        final MessageDigest md5 = MD5.get();
        final byte[] hash = md5.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x30); // version 3
        hash[8] = (byte) (hash[8] & 0x3f | 0x80); // IETF variant
        return new UUID(ByteBuffer.wrap(hash, 0, 8).getLong(), ByteBuffer.wrap(hash, 8, 8).getLong()).toString();
    }

    static String commitId(final String applicationId, final String instance, final List<CommittedOffset> offsets,
                           final boolean committed) {
        final StringBuilder name = new StringBuilder(applicationId).append("/commit/").append(instance)
            .append(committed ? "/committed" : "/failed");
        offsets.stream()
            .sorted(Comparator.comparing(CommittedOffset::topic).thenComparingInt(CommittedOffset::partition))
            .forEach(offset -> name.append('/').append(offset.topic()).append(':').append(offset.partition())
                .append(':').append(offset.offset()));
        return nameUuid(name.toString());
    }
}

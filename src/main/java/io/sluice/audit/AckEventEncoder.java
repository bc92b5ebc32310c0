package io.sluice.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import io.sluice.avro.AckEvent;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.Chain;
import io.sluice.spi.RecordContext;

/**
 * Writes a record's {@link AckEvent} straight from its {@link RecordOutcome}: the same bytes as
 * {@code AvroCodec<AckEvent>.encode(event)} (single-object header, Avro binary body), without building the event
 * object or going through Avro's generic writer, which profiles showed as most of the audit's cost on the stream
 * thread (the {@code timestamp-millis} field keeps Avro from generating its faster custom coders). The chain's
 * part — the same for every record of a context — is encoded once per {@link Chain} and copied.
 *
 * <p>It writes batches too ({@link #encodeBatches}: {@code schemas/AckEventBatch.avsc}), several events in one
 * record, with the fields they share once and their users and chains by reference.
 *
 * <p>Field by field it follows {@code schemas/AckEvent.avsc} and {@code schemas/AckEventBatch.avsc};
 * {@code AckEventEncoderTest} compares its bytes with Avro's for every shape of event, so a schema change that is not
 * made here too fails the build.
 * One per stream thread: not thread-safe.
 */
final class AckEventEncoder {

    /** The resolver gives one chain object per distinct list of bindings: a few hundred cover a thread's traffic. */
    private static final int MAX_CACHED_CHAINS = 512;
    /** The encoder keeps its buffer unless one event (or batch) made it larger than this. */
    private static final int MAX_KEPT_BUFFER = 1 << 16;
    /**
     * A batch is closed once its events reach this size: far below any broker's {@code max.message.bytes} and the
     * producer's {@code batch.size}, large enough that a batch's own overhead is spread over hundreds of events.
     */
    static final int BATCH_BYTES = 32 * 1024;
    // Union branch indexes: every optional field is ["null", T].
    private static final int NULL = 0;
    private static final int PRESENT = 1;

    private final byte[] header;
    private final String applicationId;
    private final Map<Chain, byte[]> chains = new IdentityHashMap<>();
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    private BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
    // Batches: the users and chains of the batch being written, by index, and the encoder of its shared fields.
    // Chains by identity: the resolver gives equal chains as one object.
    private final Map<User, Integer> batchUsers = new LinkedHashMap<>();
    private final Map<Chain, Integer> batchChains = new IdentityHashMap<>();
    /** The user of the batch's last event, and its index, -1 before the first ({@link #userIndex}). */
    private String lastVcluster;
    private String lastUsername;
    private int lastUser;
    private BinaryEncoder batchOut;

    AckEventEncoder(final String applicationId) {
        this(applicationId, AuditEvents.ACKS.singleObjectHeader());
    }

    /** @param header what every event starts with: the single-object header, or a schema registry's frame */
    AckEventEncoder(final String applicationId, final byte[] header) {
        this.applicationId = applicationId;
        this.header = header.clone();
    }

    byte[] encode(final String eventId, final long timeMillis, final RecordOutcome outcome) {
        bytes.reset();
        bytes.writeBytes(header);
        try {
            final RecordContext context = outcome.context();
            out.writeString(eventId);
            out.writeLong(timeMillis);
            out.writeString(applicationId);
            // context
            out.writeString(context.vcluster());
            writeOptional(out, context.username());
            writeGroups(out, context.groups());
            writeCoordinatesAndOutcome(out, outcome);
            out.writeFixed(chain(outcome.chain()));
            writeFindings(out, outcome);
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        }
        final byte[] event = bytes.toByteArray();
        releaseLargeBuffer();
        return event;
    }

    /**
     * Events as {@code AckEventBatch} records: the same fields as {@link #encode} gives each, but the shared ones
     * once, and each distinct user and chain once. A batch holds events until it reaches {@link #BATCH_BYTES}; more
     * events start another. The events keep their order.
     *
     * @param header what every batch starts with: {@code AckEventBatch}'s single-object header or registry frame
     */
    List<byte[]> encodeBatches(final byte[] header, final long timeMillis, final List<RecordOutcome> outcomes) {
        final List<byte[]> batches = new ArrayList<>(1);
        bytes.reset();
        startBatch();
        int count = 0;
        try {
            for (final RecordOutcome outcome : outcomes) {
                final RecordContext context = outcome.context();
                out.writeInt(userIndex(context));
                writeGroups(out, context.groups());
                writeCoordinatesAndOutcome(out, outcome);
                out.writeInt(indexIn(batchChains, outcome.chain()));
                writeFindings(out, outcome);
                count++;
                // The size so far without a flush per event: what the encoder holds counts too.
                if (bytes.size() + out.bytesBuffered() >= BATCH_BYTES) {
                    out.flush();
                    batches.add(batch(header, timeMillis, count));
                    bytes.reset();
                    startBatch();
                    count = 0;
                }
            }
            if (count > 0) {
                out.flush();
                batches.add(batch(header, timeMillis, count));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        }
        releaseLargeBuffer();
        return batches;
    }

    /** Keeps the buffer for the next record unless this one made it larger than {@link #MAX_KEPT_BUFFER}. */
    private void releaseLargeBuffer() {
        if (bytes.size() > MAX_KEPT_BUFFER) {
            bytes = new ByteArrayOutputStream(512);
            out = EncoderFactory.get().binaryEncoder(bytes, out);
        }
    }

    /** The key's index in the table, a new one (the next) if it is not there yet. */
    private static <K> int indexIn(final Map<K, Integer> table, final K key) {
        final int next = table.size();
        final Integer known = table.putIfAbsent(key, next);
        return known != null ? known : next;
    }

    private void startBatch() {
        batchUsers.clear();
        batchChains.clear();
        lastUser = -1;
    }

    /**
     * The batch's index of the record's user. Events of one user come in runs, and the identity cache hands every
     * record of a user the same strings: the run's first event looks the user up, the others compare two references.
     */
    private int userIndex(final RecordContext context) {
        if (lastUser < 0 || context.vcluster() != lastVcluster || context.username() != lastUsername) {
            lastVcluster = context.vcluster();
            lastUsername = context.username();
            lastUser = indexIn(batchUsers, new User(lastVcluster, lastUsername));
        }
        return lastUser;
    }

    /** One batch: its shared fields, its users and chains, then the {@code count} events encoded in {@link #bytes}. */
    private byte[] batch(final byte[] header, final long timeMillis, final int count) throws IOException {
        final ByteArrayOutputStream batch = new ByteArrayOutputStream(header.length + 64 + bytes.size());
        batch.writeBytes(header);
        batchOut = EncoderFactory.get().binaryEncoder(batch, batchOut);
        batchOut.writeLong(timeMillis);
        batchOut.writeString(applicationId);
        // User 0 in the fields of version 1, the others in users; LinkedHashMap iterates in index order.
        final Iterator<User> users = batchUsers.keySet().iterator();
        final User first = users.next();
        batchOut.writeString(first.vcluster());
        writeOptional(batchOut, first.username());
        batchOut.writeArrayStart();
        batchOut.setItemCount(batchUsers.size() - 1);
        while (users.hasNext()) {
            final User user = users.next();
            batchOut.startItem();
            batchOut.writeString(user.vcluster());
            writeOptional(batchOut, user.username());
        }
        batchOut.writeArrayEnd();
        batchOut.writeArrayStart();
        batchOut.setItemCount(batchChains.size());
        // IdentityHashMap iterates in no particular order: place each chain at its index.
        final Chain[] chains = new Chain[batchChains.size()];
        batchChains.forEach((chain, index) -> chains[index] = chain);
        for (final Chain chain : chains) {
            batchOut.startItem();
            batchOut.writeFixed(chain(chain));
        }
        batchOut.writeArrayEnd();
        // The events: one block of count items, already encoded.
        batchOut.writeArrayStart();
        batchOut.setItemCount(count);
        batchOut.flush();
        bytes.writeTo(batch);
        batchOut.writeArrayEnd();
        batchOut.flush();
        return batch.toByteArray();
    }

    /** A batch's user: the two fields of the context every event of theirs shares. */
    private record User(String vcluster, String username) {
    }

    /** ingress, egress, outcome and error: the same fields, in the same order, in both schemas. */
    private void writeCoordinatesAndOutcome(final BinaryEncoder out, final RecordOutcome outcome) throws IOException {
        final RecordContext context = outcome.context();
        out.writeString(context.topic());
        out.writeInt(context.partition());
        out.writeLong(context.offset());
        if (outcome.egressTopic() == null) {
            out.writeIndex(NULL);
        } else {
            out.writeIndex(PRESENT);
            out.writeString(outcome.egressTopic());
            out.writeInt(outcome.egressPartition());
            out.writeLong(outcome.egressOffset());
        }
        // AckOutcome's symbols are the runtime's outcomes, in the same order.
        out.writeEnum(outcome.outcome().ordinal());
        writeError(out, outcome.failure());
    }

    /** interceptorErrors, violations and dataKeys: the last fields of both schemas. */
    private void writeFindings(final BinaryEncoder out, final RecordOutcome outcome) throws IOException {
        writeInterceptorErrors(out, outcome.interceptorErrors());
        writeViolations(out, outcome.violations());
        writeDataKeys(out, outcome.dataKeys());
    }

    private static void writeGroups(final BinaryEncoder out, final Set<String> groups) throws IOException {
        out.writeArrayStart();
        out.setItemCount(groups.size());
        for (final String group : inSortedOrder(groups)) {
            out.startItem();
            out.writeString(group);
        }
        out.writeArrayEnd();
    }

    /** Sorted, so the same context gives the same bytes. A record's groups come sorted already (the identity's set). */
    private static Iterable<String> inSortedOrder(final Set<String> groups) {
        String previous = null;
        for (final String group : groups) {
            if (previous != null && previous.compareTo(group) > 0) {
                return groups.stream().sorted().toList();
            }
            previous = group;
        }
        return groups;
    }

    private static void writeError(final BinaryEncoder out, final RecordOutcome.Failure failure) throws IOException {
        if (failure == null) {
            out.writeIndex(NULL);
            return;
        }
        out.writeIndex(PRESENT);
        out.writeString(failure.kind().name());
        out.writeString(failure.message());
        writeOptional(out, failure.interceptor());
    }

    private static void writeInterceptorErrors(final BinaryEncoder out,
                                               final List<RecordOutcome.InterceptorError> errors)
        throws IOException {
        out.writeArrayStart();
        out.setItemCount(errors.size());
        for (final RecordOutcome.InterceptorError error : errors) {
            out.startItem();
            out.writeString(error.interceptor());
            out.writeString(error.hook());
            out.writeString(error.message());
        }
        out.writeArrayEnd();
    }

    private static void writeViolations(final BinaryEncoder out, final List<RecordOutcome.Violation> violations)
        throws IOException {
        out.writeArrayStart();
        out.setItemCount(violations.size());
        for (final RecordOutcome.Violation violation : violations) {
            out.startItem();
            out.writeString(violation.interceptor());
            out.writeString(violation.message());
        }
        out.writeArrayEnd();
    }

    private static void writeDataKeys(final BinaryEncoder out, final List<String> dataKeys) throws IOException {
        out.writeArrayStart();
        out.setItemCount(dataKeys.size());
        for (final String dataKey : dataKeys) {
            out.startItem();
            out.writeString(dataKey);
        }
        out.writeArrayEnd();
    }

    /** The encoded {@code chain} array of a resolved chain, from the cache. */
    private byte[] chain(final Chain chain) throws IOException {
        final byte[] cached = chains.get(chain);
        if (cached != null) {
            return cached;
        }
        if (chains.size() >= MAX_CACHED_CHAINS) {
            chains.clear();
        }
        final ByteArrayOutputStream chainBytes = new ByteArrayOutputStream(64);
        final BinaryEncoder chainOut = EncoderFactory.get().directBinaryEncoder(chainBytes, null);
        chainOut.writeArrayStart();
        chainOut.setItemCount(chain.interceptors().size());
        for (final Binding binding : chain.interceptors()) {
            final BindingScope scope = binding.scope();
            chainOut.startItem();
            chainOut.writeString(binding.name());
            chainOut.writeString(binding.plugin());
            // BindingLevel's symbols are the scope levels, in the same order.
            chainOut.writeEnum(binding.level().ordinal());
            writeOptional(chainOut, scope.vcluster());
            writeOptional(chainOut, scope.group());
            writeOptional(chainOut, scope.username());
            chainOut.writeInt(binding.priority());
        }
        chainOut.writeArrayEnd();
        chainOut.flush();
        final byte[] encoded = chainBytes.toByteArray();
        chains.put(chain, encoded);
        return encoded;
    }

    private static void writeOptional(final BinaryEncoder out, final String value) throws IOException {
        if (value == null) {
            out.writeIndex(NULL);
        } else {
            out.writeIndex(PRESENT);
            out.writeString(value);
        }
    }
}

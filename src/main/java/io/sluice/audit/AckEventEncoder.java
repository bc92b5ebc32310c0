package io.sluice.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
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
 * <p>Field by field it follows {@code schemas/AckEvent.avsc}; {@code AckEventEncoderTest} compares its bytes
 * with Avro's for every shape of event, so a schema change that is not made here too fails the build.
 * One per stream thread: not thread-safe.
 */
final class AckEventEncoder {

    /** Chains come from the resolver's cache, one object per context: a few hundred cover a thread's traffic. */
    private static final int MAX_CACHED_CHAINS = 512;
    /** The encoder keeps its buffer unless one event made it larger than this. */
    private static final int MAX_KEPT_BUFFER = 1 << 16;
    // Union branch indexes: every optional field is ["null", T].
    private static final int NULL = 0;
    private static final int PRESENT = 1;

    private final byte[] header;
    private final String applicationId;
    private final Map<Chain, byte[]> chains = new IdentityHashMap<>();
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    private BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);

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
            writeGroups(context.groups());
            // ingress, egress
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
            writeError(outcome.failure());
            out.writeFixed(chain(outcome.chain()));
            writeInterceptorErrors(outcome.interceptorErrors());
            writeViolations(outcome.violations());
            writeDataKeys(outcome.dataKeys());
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        }
        final byte[] event = bytes.toByteArray();
        if (event.length > MAX_KEPT_BUFFER) {
            bytes = new ByteArrayOutputStream(512);
            out = EncoderFactory.get().binaryEncoder(bytes, out);
        }
        return event;
    }

    private void writeGroups(final Set<String> groups) throws IOException {
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

    private void writeError(final RecordOutcome.Failure failure) throws IOException {
        if (failure == null) {
            out.writeIndex(NULL);
            return;
        }
        out.writeIndex(PRESENT);
        out.writeString(failure.kind().name());
        out.writeString(failure.message());
        writeOptional(out, failure.interceptor());
    }

    private void writeInterceptorErrors(final List<RecordOutcome.InterceptorError> errors) throws IOException {
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

    private void writeViolations(final List<RecordOutcome.Violation> violations) throws IOException {
        out.writeArrayStart();
        out.setItemCount(violations.size());
        for (final RecordOutcome.Violation violation : violations) {
            out.startItem();
            out.writeString(violation.interceptor());
            out.writeString(violation.message());
        }
        out.writeArrayEnd();
    }

    private void writeDataKeys(final List<String> dataKeys) throws IOException {
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

package io.sluice.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificRecord;

import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckEventBatch;
import io.sluice.avro.AvroCodec;
import io.sluice.avro.AvroDecodingException;
import io.sluice.avro.BatchUser;
import io.sluice.avro.BatchedAckEvent;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.SchemaCatalog;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.registry.RegisteredSchema;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistryException;
import io.sluice.registry.SchemaType;
import io.sluice.registry.WireFormat;

/**
 * Reads audit events in both encodings, since a topic holds both after the schema registry was set up or removed:
 * Avro single-object encoding (first byte {@code C3}), and the registry's wire format (first byte {@code 0}), whose
 * writer schema comes from the registry by id. A record of the acks topic holds one {@code AckEvent} or an
 * {@code AckEventBatch} of several ({@code auditTopics.ackEvents}); a batch reads as the events it stands for, each
 * the same {@code AckEvent} as if it had been written alone.
 *
 * @param <T> the event type
 */
public final class AuditDecoder<T extends SpecificRecord> {

    private final AvroCodec<T> codec;
    /** How a batch becomes events, or {@code null} for a topic that holds no batches (commits). */
    private final Function<AckEventBatch, List<T>> unbatch;
    private final SchemaRegistryClient registry;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    private AuditDecoder(final AvroCodec<T> codec, final Function<AckEventBatch, List<T>> unbatch,
                         final SchemaRegistryClient registry) {
        this.codec = codec;
        this.unbatch = unbatch;
        this.registry = registry;
    }

    /** @param registry the registry of framed events, or {@code null} when none is configured */
    public static AuditDecoder<AckEvent> acks(final SchemaRegistryClient registry) {
        return new AuditDecoder<>(AuditEvents.ACKS, AuditDecoder::events, registry);
    }

    public static AuditDecoder<CommitEvent> commits(final SchemaRegistryClient registry) {
        return new AuditDecoder<>(AuditEvents.COMMITS, null, registry);
    }

    /**
     * The events of one record, in the order they were written: one, or a batch's.
     *
     * @throws AvroDecodingException when the bytes are no event in either encoding, or a framed event's schema
     *                               cannot be had from the registry
     */
    public List<T> decode(final byte[] bytes) {
        if (bytes == null || !WireFormat.looksFramed(bytes)) {
            if (unbatch != null && bytes != null && isBatch(SchemaCatalog.standard().findByFingerprint(
                AvroCodec.fingerprintOf(bytes)))) {
                return unbatch.apply(AuditEvents.BATCHES.decode(bytes));
            }
            return List.of(codec.decode(bytes));
        }
        final int id;
        try {
            id = WireFormat.schemaId(bytes);
        } catch (final RuntimeException e) {
            throw new AvroDecodingException(e.getMessage());
        }
        final Schema writer = schema(id);
        if (unbatch != null && isBatch(writer)) {
            return unbatch.apply(AuditEvents.BATCHES.decode(bytes, WireFormat.HEADER_LENGTH, writer));
        }
        return List.of(codec.decode(bytes, WireFormat.HEADER_LENGTH, writer));
    }

    private static boolean isBatch(final Schema writer) {
        return writer != null && writer.getFullName().equals(AckEventBatch.getClassSchema().getFullName());
    }

    /**
     * The events a batch stands for: its shared fields filled in, each user and chain from the batch's tables, each
     * event id derived from the ingress coordinates as the writer derives it.
     *
     * @throws AvroDecodingException when an event names a user or chain the batch does not have
     */
    static List<AckEvent> events(final AckEventBatch batch) {
        final List<List<ChainEntry>> chains = batch.getChains();
        final List<BatchUser> users = batch.getUsers();
        final List<AckEvent> events = new ArrayList<>(batch.getEvents().size());
        for (final BatchedAckEvent event : batch.getEvents()) {
            final int chain = event.getChain();
            if (chain < 0 || chain >= chains.size()) {
                throw new AvroDecodingException("not a readable AckEventBatch record: an event names chain " + chain
                    + " of " + chains.size());
            }
            final int user = event.getUser();
            if (user < 0 || user > users.size()) {
                throw new AvroDecodingException("not a readable AckEventBatch record: an event names user " + user
                    + " of " + (users.size() + 1));
            }
            final BatchUser other = user == 0 ? null : users.get(user - 1);
            final String vcluster = other == null ? batch.getVcluster() : other.getVcluster();
            final String username = other == null ? batch.getUsername() : other.getUsername();
            final TopicPartitionOffset ingress = event.getIngress();
            events.add(new AckEvent(
                AuditEvents.ackId(batch.getApplicationId(), ingress.getTopic(), ingress.getPartition(),
                    ingress.getOffset()),
                batch.getTime(), batch.getApplicationId(),
                new AckContext(vcluster, username, event.getGroups()),
                ingress, event.getEgress(), event.getOutcome(), event.getError(), chains.get(chain),
                event.getInterceptorErrors(), event.getViolations(), event.getDataKeys()));
        }
        return events;
    }

    private Schema schema(final int id) {
        final Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        if (registry == null) {
            throw new AvroDecodingException("framed for a schema registry (schema id " + id + "): give --topology with"
                + " its schemaRegistry, or set SLUICE_SCHEMA_REGISTRY_URL");
        }
        final RegisteredSchema registered;
        try {
            registered = registry.schemaById(id);
        } catch (final SchemaRegistryException e) {
            throw new AvroDecodingException(e.getMessage());
        }
        if (registered.type() != SchemaType.AVRO) {
            throw new AvroDecodingException("schema id " + id + " is a " + registered.type() + " schema, not Avro");
        }
        try {
            final Schema schema = new Schema.Parser().parse(registered.schema());
            schemas.putIfAbsent(id, schema);
            return schema;
        } catch (final SchemaParseException e) {
            throw new AvroDecodingException("schema id " + id + " is not a usable Avro schema: " + e.getMessage());
        }
    }
}

package io.sluice.audit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificRecord;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AvroCodec;
import io.sluice.avro.AvroDecodingException;
import io.sluice.avro.CommitEvent;
import io.sluice.registry.RegisteredSchema;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistryException;
import io.sluice.registry.SchemaType;
import io.sluice.registry.WireFormat;

/**
 * Reads audit events in both encodings, since a topic holds both after the schema registry was set up or removed:
 * Avro single-object encoding (first byte {@code C3}), and the registry's wire format (first byte {@code 0}), whose
 * writer schema comes from the registry by id.
 *
 * @param <T> the event type
 */
public final class AuditDecoder<T extends SpecificRecord> {

    private final AvroCodec<T> codec;
    private final SchemaRegistryClient registry;
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    private AuditDecoder(final AvroCodec<T> codec, final SchemaRegistryClient registry) {
        this.codec = codec;
        this.registry = registry;
    }

    /** @param registry the registry of framed events, or {@code null} when none is configured */
    public static AuditDecoder<AckEvent> acks(final SchemaRegistryClient registry) {
        return new AuditDecoder<>(AuditEvents.ACKS, registry);
    }

    public static AuditDecoder<CommitEvent> commits(final SchemaRegistryClient registry) {
        return new AuditDecoder<>(AuditEvents.COMMITS, registry);
    }

    /**
     * @throws AvroDecodingException when the bytes are no event in either encoding, or a framed event's schema
     *                               cannot be had from the registry
     */
    public T decode(final byte[] bytes) {
        if (bytes == null || !WireFormat.looksFramed(bytes)) {
            return codec.decode(bytes);
        }
        final int id;
        try {
            id = WireFormat.schemaId(bytes);
        } catch (final RuntimeException e) {
            throw new AvroDecodingException(e.getMessage());
        }
        return codec.decode(bytes, WireFormat.HEADER_LENGTH, schema(id));
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

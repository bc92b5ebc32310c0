package io.sluice.registry;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;
import io.sluice.value.AvroValue;

/**
 * {@code confluent-avro}: a value framed for a schema registry whose id names an Avro schema, decoded with that
 * writer schema as generic data and encoded back under the same id (the schema's rules for replaced fields are
 * {@link AvroValue}'s: strings stay strings, a field that must become a string has to be {@code string} or
 * {@code bytes}). Schemas, readers and writers are kept per id (ids are immutable). Thread-safe. Messages name the
 * schema id, never the value's content.
 */
public final class ConfluentAvro implements ValueCodec {

    public static final String FORMAT = "confluent-avro";

    private final SchemaRegistryClient registry;
    private final Map<Integer, Codec> codecs = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    public ConfluentAvro(final SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Decodes a framed Avro value.
     *
     * @throws UnknownSchemaException       when the registry does not know the id
     * @throws RegistryUnavailableException when the registry cannot be reached within its timeout
     * @throws ValueFormatException         when the frame is truncated, the id is not an Avro schema, or the
     *                                      payload does not decode under it
     */
    @Override
    public AvroValue decode(final byte[] value) {
        final int id = WireFormat.schemaId(value);
        final Codec codec = codec(id);
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_LENGTH,
            value.length - WireFormat.HEADER_LENGTH, decoders.get());
        decoders.set(decoder);
        final Object datum;
        try {
            datum = codec.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new ValueFormatException(undecodable(id, codec.schema, "bytes left over after the datum"));
            }
        } catch (final IOException | RuntimeException e) {
            if (e instanceof ValueFormatException format) {
                throw format;
            }
            // Garbage fails in many ways (EOF, negative lengths, bad union index); the message never quotes it.
            throw new ValueFormatException(undecodable(id, codec.schema, e instanceof EOFException ? "truncated"
                : e.getClass().getSimpleName()));
        }
        return new AvroValue(FORMAT, id, codec.schema, datum, null, (changed, framing) -> encode(id, changed));
    }

    @Override
    public int schemaIdOf(final byte[] value) {
        decode(value);
        return WireFormat.schemaId(value);
    }

    /** Encodes a datum of the schema of {@code schemaId}, framed with that id. */
    public byte[] encode(final int schemaId, final Object datum) {
        final Codec codec = codec(schemaId);
        final Buffer buffer = buffers.get();
        buffer.bytes.reset();
        buffer.bytes.writeBytes(WireFormat.header(schemaId));
        try {
            codec.writer.write(datum, buffer.encoder);
            buffer.encoder.flush();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write an Avro datum to memory", e);
        } catch (final RuntimeException e) {
            // a changed field that no longer fits the schema: reject, naming the schema, not the value
            throw new ValueFormatException("the changed value no longer fits its Avro schema (id " + schemaId + ", "
                + codec.schema.getFullName() + "): " + e.getClass().getSimpleName());
        }
        return buffer.bytes.toByteArray();
    }

    /** The writer schema of an id (fetched once). */
    public Schema schema(final int schemaId) {
        return codec(schemaId).schema;
    }

    private Codec codec(final int id) {
        final Codec known = codecs.get(id);
        if (known != null) {
            return known;
        }
        final RegisteredSchema registered = Schemas.fetch(registry, id);
        if (registered.type() != SchemaType.AVRO) {
            throw new ValueFormatException("schema id " + id + " is a " + registered.type() + " schema, not Avro"
                + (registered.type() == SchemaType.PROTOBUF ? Schemas.PROTOBUF_NOT_YET : ""));
        }
        final Schema schema;
        try {
            schema = new Schema.Parser().parse(registered.schema());
        } catch (final SchemaParseException e) {
            throw new ValueFormatException("schema id " + id + " is not a usable Avro schema: " + e.getMessage());
        }
        final Codec codec = new Codec(schema, new GenericDatumReader<>(schema), new GenericDatumWriter<>(schema));
        codecs.putIfAbsent(id, codec);
        return codec;
    }

    private static String undecodable(final int id, final Schema schema, final String why) {
        return "the value does not decode under its Avro schema (id " + id + ", " + schema.getFullName() + "): " + why;
    }

    private record Codec(Schema schema, GenericDatumReader<Object> reader, GenericDatumWriter<Object> writer) {
    }

    private static final class Buffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    }
}

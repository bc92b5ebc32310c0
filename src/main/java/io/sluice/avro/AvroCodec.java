package io.sluice.avro;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one Avro serde helper: Avro single-object encoding of a generated class, readable without a schema
 * registry. The bytes are {@code C3 01}, the writer schema's CRC-64-AVRO fingerprint (8 bytes, little-endian),
 * then the Avro binary body. Decoding looks the fingerprint up in a {@link SchemaCatalog} and resolves that
 * writer schema to the class's current schema, so records of every version we shipped stay readable.
 * Thread-safe; make one per type and share it.
 *
 * @param <T> the generated class
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Single-object encoding marker (Avro specification, "Single-object encoding"). */
    static final byte MAGIC_0 = (byte) 0xC3;
    static final byte MAGIC_1 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;
    /** The single-object header's length: an encoding's Avro body starts there. */
    public static final int SINGLE_OBJECT_HEADER_LENGTH = HEADER_LENGTH;
    /** A thread keeps its encoding buffer unless one record made it larger than this. */
    private static final int MAX_KEPT_BUFFER = 1 << 20;

    private final Class<T> type;
    private final Schema schema;
    private final byte[] header;
    private final SpecificData model;
    private final SchemaCatalog catalog;
    private final DatumWriter<T> writer;
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Long, DatumReader<T>> registryReaders = new ConcurrentHashMap<>();
    // Encoding runs per record on the hot path: reuse one buffer and encoder per thread.
    private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

    private AvroCodec(final Class<T> type, final SchemaCatalog catalog) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.header = header(SchemaCatalog.fingerprint(schema));
        this.catalog = catalog.findByFingerprint(SchemaCatalog.fingerprint(schema)) == null
            ? catalog.with(List.of(schema)) : catalog;
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    /** A codec that reads every version in {@link SchemaCatalog#standard()}. */
    public static <T extends SpecificRecord> AvroCodec<T> of(final Class<T> type) {
        return new AvroCodec<>(type, SchemaCatalog.standard());
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(final Class<T> type, final SchemaCatalog catalog) {
        return new AvroCodec<>(type, catalog);
    }

    /** The schema this codec writes (and resolves every writer schema to). */
    public Schema schema() {
        return schema;
    }

    /** What every encoding starts with: {@code C3 01} and the schema's fingerprint (a copy). */
    public byte[] singleObjectHeader() {
        return header.clone();
    }

    public byte[] encode(final T value) {
        final Buffer buffer = buffers.get();
        buffer.bytes.reset();
        buffer.bytes.writeBytes(header);
        try {
            writer.write(value, buffer.encoder);
            buffer.encoder.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write to memory", e);
        } catch (final RuntimeException e) {
            // A generated class can be built with a null in a required field: that is our bug, not input.
            throw new IllegalArgumentException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        final byte[] bytes = buffer.bytes.toByteArray();
        if (bytes.length > MAX_KEPT_BUFFER) {
            buffers.remove();
        }
        return bytes;
    }

    /**
     * Decodes one record.
     *
     * @throws AvroDecodingException when the bytes are not a readable record of this type
     */
    public T decode(final byte[] bytes) {
        if (bytes == null) {
            throw new AvroDecodingException("no bytes (null) where a " + type.getSimpleName() + " was expected");
        }
        final long fingerprint = fingerprintOf(bytes);
        final DatumReader<T> reader = readers.computeIfAbsent(fingerprint, this::reader);
        final BoundedDecoder decoder = new BoundedDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
        final T value;
        try {
            value = reader.read(null, decoder);
        } catch (final IOException | RuntimeException e) {
            // Garbage makes Avro throw anything from EOFException to IndexOutOfBoundsException.
            throw new AvroDecodingException("not a readable " + type.getSimpleName() + " record: " + reason(e), e);
        }
        if (!decoder.isEnd()) {
            throw new AvroDecodingException("not a readable " + type.getSimpleName() + " record: bytes left over after the record");
        }
        return value;
    }

    /**
     * Decodes an Avro body that starts at {@code offset}, written with {@code writerSchema} (e.g. the schema a
     * registry gives for a framed record's id), resolved to this codec's schema.
     *
     * @throws AvroDecodingException when the bytes are not a readable record of this type under that schema
     */
    public T decode(final byte[] bytes, final int offset, final Schema writerSchema) {
        final long fingerprint = SchemaCatalog.fingerprint(writerSchema);
        final DatumReader<T> reader = registryReaders.computeIfAbsent(fingerprint, unused -> {
            if (!writerSchema.getFullName().equals(schema.getFullName())
                && !schema.getAliases().contains(writerSchema.getFullName())) {
                throw new AvroDecodingException("the record is a " + writerSchema.getFullName() + ", not a "
                    + schema.getFullName());
            }
            return new SpecificDatumReader<>(writerSchema, schema, model);
        });
        final BoundedDecoder decoder = new BoundedDecoder(bytes, offset, bytes.length - offset);
        final T value;
        try {
            value = reader.read(null, decoder);
        } catch (final IOException | RuntimeException e) {
            throw new AvroDecodingException("not a readable " + type.getSimpleName() + " record: " + reason(e), e);
        }
        if (!decoder.isEnd()) {
            throw new AvroDecodingException("not a readable " + type.getSimpleName() + " record: bytes left over after the record");
        }
        return value;
    }

    /**
     * The writer schema fingerprint of single-object-encoded bytes.
     *
     * @throws AvroDecodingException when the bytes do not start with a single-object header
     */
    public static long fingerprintOf(final byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new AvroDecodingException("not Avro single-object encoded: " + bytes.length + " bytes, shorter than the 10-byte header");
        }
        if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            throw new AvroDecodingException("not Avro single-object encoded: the bytes do not start with C3 01");
        }
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL);
        }
        return fingerprint;
    }

    /** A fingerprint as it is written in the header: 16 hex digits in byte order. */
    public static String hex(final long fingerprint) {
        return HexFormat.of().formatHex(header(fingerprint), 2, HEADER_LENGTH);
    }

    private DatumReader<T> reader(final long fingerprint) {
        final Schema writerSchema = catalog.findByFingerprint(fingerprint);
        if (writerSchema == null) {
            throw new AvroDecodingException("unknown schema fingerprint " + hex(fingerprint) + " (not a " + type.getSimpleName()
                + " version this Sluice knows: written by a newer version or another tool?)");
        }
        if (!writerSchema.getFullName().equals(schema.getFullName()) && !schema.getAliases().contains(writerSchema.getFullName())) {
            throw new AvroDecodingException("the record is a " + writerSchema.getFullName() + ", not a " + schema.getFullName());
        }
        return new SpecificDatumReader<>(writerSchema, schema, model);
    }

    private static String reason(final Throwable e) {
        if (e instanceof EOFException) {
            return "truncated";
        }
        final String message = e.getMessage();
        return e instanceof AvroRuntimeException || e instanceof IOException
            ? String.valueOf(message) : e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    static byte[] header(final long fingerprint) {
        final byte[] header = new byte[HEADER_LENGTH];
        header[0] = MAGIC_0;
        header[1] = MAGIC_1;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }

    private static final class Buffer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    }
}

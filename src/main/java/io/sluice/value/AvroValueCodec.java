package io.sluice.value;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueFormatException;

/**
 * Raw Avro values ({@code valueFormat: avro}): one datum of the binding's schema in Avro binary encoding, no
 * container file, no registry framing. Decoded into Avro's generic representation, edited there
 * ({@link AvroValue}), encoded once after the chain. A registry codec reuses {@link AvroValue} with the
 * writer's schema and the framing bytes.
 */
public final class AvroValueCodec implements ValueCodec {

    public static final String FORMAT = "avro";
    /** One codec per schema, so that the plugins of a chain that name the same schema share one decode. */
    private static final Map<Schema, AvroValueCodec> CODECS = new ConcurrentHashMap<>();

    private final Schema schema;
    // Readers and writers keep per-use state: one per stream thread.
    private final ThreadLocal<GenericDatumReader<Object>> readers;
    private final ThreadLocal<GenericDatumWriter<Object>> writers;

    private AvroValueCodec(final Schema schema) {
        this.schema = schema;
        this.readers = ThreadLocal.withInitial(() -> new GenericDatumReader<>(schema));
        this.writers = ThreadLocal.withInitial(() -> new GenericDatumWriter<>(schema));
    }

    public static AvroValueCodec of(final Schema schema) {
        return CODECS.computeIfAbsent(schema, AvroValueCodec::new);
    }

    @Override
    public String format() {
        return FORMAT;
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public AvroValue decode(final byte[] value) {
        return new AvroValue(schema, read(value, 0), null, this::write);
    }

    /**
     * Decodes the datum that starts at {@code offset} (after a registry's framing).
     *
     * @throws ValueFormatException when the bytes are not one datum of the schema
     */
    public Object read(final byte[] value, final int offset) {
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null);
            final Object datum = readers.get().read(null, decoder);
            if (!decoder.isEnd()) {
                throw new ValueFormatException("the value is not Avro of schema " + schema.getFullName()
                    + ": bytes left over after the datum");
            }
            return datum;
        } catch (final IOException | RuntimeException e) {
            if (e instanceof ValueFormatException format) {
                throw format;
            }
            // Garbage fails in many ways (EOF, negative lengths, bad union index): all mean "not this schema".
            throw new ValueFormatException("the value is not Avro of schema " + schema.getFullName()
                + ": " + e.getClass().getSimpleName());
        }
    }

    /** Encodes a datum of the schema after {@code prefix} (a registry's framing, or nothing). */
    public byte[] write(final Object datum, final byte[] prefix) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (prefix != null) {
            out.writeBytes(prefix);
        }
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.get().write(datum, encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write an Avro datum to memory", e);
        } catch (final RuntimeException e) {
            // A replacement the schema cannot hold got past the field checks: fail closed, naming no value.
            throw new ValueFormatException("the edited value does not fit Avro schema " + schema.getFullName()
                + ": " + e.getClass().getSimpleName());
        }
        return out.toByteArray();
    }

    /**
     * Why a path cannot be masked in this schema, or {@code null} when it selects string values: checked when a
     * binding's config is read, so that a raw-Avro masking binding with a wrong path never reaches a record.
     */
    public static String checkStringPath(final Schema schema, final FieldPath path) {
        return check(List.of(schema), path.segments(), 0);
    }

    private static String check(final List<Schema> candidates, final List<Object> segments, final int depth) {
        String why = null;
        for (final Schema candidate : candidates) {
            final String problem = checkOne(candidate, segments, depth);
            if (problem == null) {
                return null;
            }
            why = why == null ? problem : why;
        }
        return why;
    }

    private static String checkOne(final Schema schema, final List<Object> segments, final int depth) {
        if (schema.getType() == Schema.Type.UNION) {
            final List<Schema> branches = nonNull(schema);
            if (depth == segments.size()) {
                return branches.stream().allMatch(branch -> branch.getType() == Schema.Type.STRING) ? null
                    : "leads to a union with non-string types " + branches + "; only string fields can be masked";
            }
            return check(branches, segments, depth);
        }
        if (depth == segments.size()) {
            return schema.getType() == Schema.Type.STRING ? null
                : "leads to a " + schema.getType().getName() + " in the Avro schema; only string fields can be masked";
        }
        final Object segment = segments.get(depth);
        if (segment instanceof String name) {
            if (schema.getType() != Schema.Type.RECORD) {
                return "expects a record at '" + name + "' but the Avro schema has a " + schema.getType().getName();
            }
            final Schema.Field field = schema.getField(name);
            if (field == null) {
                return "names no field of the Avro schema: record " + schema.getFullName() + " has no field '" + name + "'";
            }
            return checkOne(field.schema(), segments, depth + 1);
        }
        if (schema.getType() != Schema.Type.ARRAY) {
            return "expects an array at " + segment + " but the Avro schema has a " + schema.getType().getName();
        }
        return checkOne(schema.getElementType(), segments, depth + 1);
    }

    private static List<Schema> nonNull(final Schema union) {
        final List<Schema> branches = new ArrayList<>();
        for (final Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                branches.add(branch);
            }
        }
        return branches;
    }
}

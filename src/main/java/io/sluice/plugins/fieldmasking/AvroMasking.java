package io.sluice.plugins.fieldmasking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import io.sluice.plugins.support.FieldPath;
import io.sluice.spi.ValueFormatException;

/**
 * Masking of Avro values: plain Avro binary encoding of one datum of the binding's schema (no container file,
 * no schema-registry framing). Paths are checked against the schema when the config is read, so at run time
 * every selected value is a string.
 */
final class AvroMasking {

    private final Schema schema;
    private final FieldMask[] masks;
    private final Object[][] segments;
    // Readers and writers keep per-use state: one per stream thread.
    private final ThreadLocal<GenericDatumReader<Object>> readers;
    private final ThreadLocal<GenericDatumWriter<Object>> writers;

    AvroMasking(final Schema schema, final List<FieldMask> masks) {
        this.schema = schema;
        this.masks = masks.toArray(FieldMask[]::new);
        this.segments = masks.stream().map(mask -> mask.path().segments().toArray()).toArray(Object[][]::new);
        this.readers = ThreadLocal.withInitial(() -> new GenericDatumReader<>(schema));
        this.writers = ThreadLocal.withInitial(() -> new GenericDatumWriter<>(schema));
    }

    /**
     * Why a path cannot be masked in this schema, or {@code null} when it selects string values.
     */
    static String check(final Schema schema, final FieldPath path) {
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

    /**
     * Masks an Avro-encoded value.
     *
     * @throws ValueFormatException when the value is not one datum of the schema
     */
    byte[] mask(final byte[] value) {
        final Object datum = decode(value);
        for (int i = 0; i < masks.length; i++) {
            walk(datum, segments[i], 0, masks[i]);
        }
        return encode(datum);
    }

    private Object decode(final byte[] value) {
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, null);
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

    private byte[] encode(final Object datum) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.get().write(datum, encoder);
            encoder.flush();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write an Avro datum to memory", e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void walk(final Object datum, final Object[] segments, final int depth, final FieldMask mask) {
        final boolean last = depth == segments.length - 1;
        if (segments[depth] instanceof String name) {
            if (!(datum instanceof GenericRecord record) || record.getSchema().getField(name) == null) {
                return;
            }
            final int position = record.getSchema().getField(name).pos();
            final Object value = record.get(position);
            if (last && value instanceof CharSequence text) {
                record.put(position, mask.mask(text.toString()));
            } else if (!last && value != null) {
                walk(value, segments, depth + 1, mask);
            }
            return;
        }
        if (!(datum instanceof List<?> list)) {
            return;
        }
        final int from = segments[depth] == FieldPath.EVERY_ELEMENT ? 0 : (Integer) segments[depth];
        final int to = segments[depth] == FieldPath.EVERY_ELEMENT ? list.size() : Math.min(from + 1, list.size());
        for (int i = from; i < to; i++) {
            final Object element = list.get(i);
            if (last && element instanceof CharSequence text) {
                ((List<Object>) list).set(i, mask.mask(text.toString()));
            } else if (!last && element != null) {
                walk(element, segments, depth + 1, mask);
            }
        }
    }
}

package io.sluice.registry;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import io.sluice.plugins.support.FieldPath;
import io.sluice.spi.ValueFormatException;

/**
 * Paths (SPEC section 7: {@code card.number}, {@code items[*].sku}) on Avro generic data: the fields a path
 * selects, with the schema type of each, read or replaced in place. A path that selects nothing in a datum
 * changes nothing, as on JSON.
 */
public final class AvroFields {

    /** What to do with one selected value. */
    @FunctionalInterface
    public interface Change {
        /**
         * @param type  the value's schema type (for a union, the branch it holds; never NULL: nulls are skipped)
         * @param value the value: {@link CharSequence} for strings, {@link java.nio.ByteBuffer} for bytes, ...
         * @return the new value (the same object to leave it)
         */
        Object apply(Schema.Type type, Object value);
    }

    private AvroFields() {
    }

    /**
     * Applies {@code change} to every non-null value {@code path} selects in {@code datum}.
     *
     * @return how many values were selected
     */
    public static int apply(final Object datum, final Schema schema, final FieldPath path, final Change change) {
        final List<Object> segments = path.segments();
        return apply(datum, schema, segments.toArray(), 0, change);
    }

    /** A path's leaf schema types must be one of {@code allowed}: else a record-level error naming field and type. */
    public static ValueFormatException wrongType(final FieldPath path, final Schema.Type type, final String needs) {
        return new ValueFormatException("field '" + path + "' is " + article(type) + " " + type.getName()
            + " in the Avro schema; " + needs);
    }

    private static String article(final Schema.Type type) {
        return "aeiou".indexOf(type.getName().charAt(0)) >= 0 ? "an" : "a";
    }

    @SuppressWarnings("unchecked")
    private static int apply(final Object datum, final Schema schema, final Object[] segments, final int depth,
                             final Change change) {
        final Schema actual = branch(schema, datum);
        final Object segment = segments[depth];
        final boolean last = depth == segments.length - 1;
        if (segment instanceof String name) {
            if (!(datum instanceof GenericRecord record)) {
                return 0;
            }
            final Schema.Field field = actual.getField(name);
            if (field == null) {
                return 0;
            }
            final Object value = record.get(field.pos());
            if (value == null) {
                return 0;
            }
            if (!last) {
                return apply(value, field.schema(), segments, depth + 1, change);
            }
            final Object changed = change.apply(branch(field.schema(), value).getType(), value);
            if (changed != value) {
                record.put(field.pos(), changed);
            }
            return 1;
        }
        if (!(datum instanceof List<?> list) || actual.getType() != Schema.Type.ARRAY) {
            return 0;
        }
        final Schema elements = actual.getElementType();
        final int from = segment == FieldPath.EVERY_ELEMENT ? 0 : (Integer) segment;
        final int to = segment == FieldPath.EVERY_ELEMENT ? list.size() : Math.min(from + 1, list.size());
        int selected = 0;
        for (int i = from; i < to; i++) {
            final Object element = list.get(i);
            if (element == null) {
                continue;
            }
            if (!last) {
                selected += apply(element, elements, segments, depth + 1, change);
                continue;
            }
            final Object changed = change.apply(branch(elements, element).getType(), element);
            if (changed != element) {
                ((List<Object>) list).set(i, changed);
            }
            selected++;
        }
        return selected;
    }

    /** The branch of a union that {@code value} holds; the schema itself when it is no union. */
    private static Schema branch(final Schema schema, final Object value) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().get(GenericData.get().resolveUnion(schema, value));
    }
}

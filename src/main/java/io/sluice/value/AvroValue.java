package io.sluice.value;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

import io.sluice.spi.DecodedValue;
import io.sluice.spi.Field;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.FieldType;
import io.sluice.spi.ValueFormatException;

/**
 * An Avro datum in Avro's generic representation, edited in place and encoded once. Replacements keep to the
 * schema: a string field stays a string (masking), a field that must become a string (encryption) has to be a
 * {@code string} or {@code bytes} field, and anything else fails closed with a {@link ValueFormatException} naming
 * the field and its Avro type.
 */
public final class AvroValue implements DecodedValue {

    /** Encodes the datum after the framing bytes (a registry's magic byte and schema id, or none). */
    @FunctionalInterface
    public interface Encoder {
        byte[] encode(Object datum, byte[] framing);
    }

    private final String format;
    private final int schemaId;
    private final Schema schema;
    private final Object datum;
    private final byte[] framing;
    private final Encoder encoder;

    /**
     * @param format   the format name, e.g. {@code avro} or {@code confluent-avro}
     * @param schemaId the registry's schema id, or -1
     * @param framing  the bytes before the datum, written back as they were; {@code null} for none
     */
    public AvroValue(final String format, final int schemaId, final Schema schema, final Object datum,
                     final byte[] framing, final Encoder encoder) {
        this.format = format;
        this.schemaId = schemaId;
        this.schema = schema;
        this.datum = datum;
        this.framing = framing;
        this.encoder = encoder;
    }

    AvroValue(final Schema schema, final Object datum, final byte[] framing, final Encoder encoder) {
        this(AvroValueCodec.FORMAT, -1, schema, datum, framing, encoder);
    }

    public Object datum() {
        return datum;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public int schemaId() {
        return schemaId;
    }

    @Override
    public byte[] encode() {
        return encoder.encode(datum, framing);
    }

    @Override
    public int apply(final FieldEdits edits) {
        int selected = 0;
        for (int i = 0; i < edits.size(); i++) {
            final FieldEdits.Edit edit = edits.get(i);
            final int count = walk(datum, schema, 0, new Slot(edit));
            selected += edit.mode() == FieldEdits.Mode.READ ? 0 : count;
        }
        return selected;
    }

    /** The declared schema of a place's children: a map's values, an array's elements (unions resolved by kind). */
    private static Schema inner(final Schema declared, final Schema.Type container) {
        final Schema branch = declared == null ? null : Slot.branch(declared, container);
        if (branch == null) {
            return null;
        }
        return container == Schema.Type.MAP ? branch.getValueType() : branch.getElementType();
    }

    private static int walk(final Object node, final Schema schema, final int depth, final Slot slot) {
        final FieldPath path = slot.edit.path();
        final boolean last = depth == path.length() - 1;
        final Object segment = path.segment(depth);
        if (segment instanceof String name) {
            if (node instanceof GenericRecord record) {
                final Schema.Field field = record.getSchema().getField(name);
                if (field == null) {
                    return 0;
                }
                return last ? slot.at(record, field.pos(), null, field.schema())
                    : descend(record.get(field.pos()), field.schema(), depth, slot);
            }
            if (node instanceof Map<?, ?> map) {
                final Object key = map.containsKey(new Utf8(name)) ? new Utf8(name) : map.containsKey(name) ? name : null;
                if (key == null) {
                    return 0;
                }
                final Schema values = inner(schema, Schema.Type.MAP);
                return last ? slot.at(map, -1, key, values) : descend(map.get(key), values, depth, slot);
            }
            return 0;
        }
        if (!(node instanceof List<?> list)) {
            return 0;
        }
        final Schema elements = inner(schema, Schema.Type.ARRAY);
        int selected = 0;
        for (int i = 0; i < list.size(); i++) {
            if (path.selectsIndex(depth, i)) {
                selected += last ? slot.at(list, i, null, elements) : descend(list.get(i), elements, depth, slot);
            }
        }
        return selected;
    }

    private static int descend(final Object child, final Schema declared, final int depth, final Slot slot) {
        return child == null ? 0 : walk(child, declared, depth + 1, slot);
    }

    /** Where a selected value lives (a record field, a map entry, an array element), as the editor's {@link Field}. */
    private static final class Slot implements Field {
        private final FieldEdits.Edit edit;
        private Object container;
        private int position;
        private Object key;
        /** The schema the place declares (may be a union). */
        private Schema declared;
        private Object value;

        Slot(final FieldEdits.Edit edit) {
            this.edit = edit;
        }

        /** Edits the value at a place; returns 1 (selected). */
        int at(final Object container, final int position, final Object key, final Schema declared) {
            this.container = container;
            this.position = position;
            this.key = key;
            this.declared = declared;
            this.value = get();
            if (edit.mode() == FieldEdits.Mode.REPLACE_LEAVES) {
                leaves(value, declared);
            } else {
                edit.editor().edit(this);
            }
            return 1;
        }

        @SuppressWarnings("unchecked")
        private void leaves(final Object node, final Schema schema) {
            if (node instanceof GenericRecord record) {
                for (final Schema.Field field : record.getSchema().getFields()) {
                    at(record, field.pos(), null, field.schema(), true);
                }
            } else if (node instanceof Map<?, ?> map) {
                final Schema values = inner(schema, Schema.Type.MAP);
                for (final Object entryKey : List.copyOf(map.keySet())) {
                    at(map, -1, entryKey, values, true);
                }
            } else if (node instanceof List<?> list) {
                final Schema elements = inner(schema, Schema.Type.ARRAY);
                for (int i = 0; i < list.size(); i++) {
                    at(list, i, null, elements, true);
                }
            } else {
                edit.editor().edit(this);
            }
        }

        private void at(final Object container, final int position, final Object key, final Schema declared,
                        final boolean leaves) {
            this.container = container;
            this.position = position;
            this.key = key;
            this.declared = declared;
            this.value = get();
            leaves(value, declared);
        }

        @SuppressWarnings("unchecked")
        private Object get() {
            if (container instanceof GenericRecord record) {
                return record.get(position);
            }
            if (container instanceof Map<?, ?> map) {
                return map.get(key);
            }
            return ((List<Object>) container).get(position);
        }

        @SuppressWarnings("unchecked")
        private void put(final Object replacement) {
            if (container instanceof GenericRecord record) {
                record.put(position, replacement);
            } else if (container instanceof Map<?, ?> map) {
                ((Map<Object, Object>) map).put(key, replacement);
            } else {
                ((List<Object>) container).set(position, replacement);
            }
            value = replacement;
        }

        @Override
        public FieldPath path() {
            return edit.path();
        }

        @Override
        public FieldType type() {
            if (value == null) {
                return FieldType.NULL;
            }
            if (value instanceof CharSequence) {
                return FieldType.STRING;
            }
            if (value instanceof ByteBuffer || value instanceof GenericFixed) {
                return FieldType.BYTES;
            }
            if (value instanceof Number) {
                return FieldType.NUMBER;
            }
            if (value instanceof Boolean) {
                return FieldType.BOOLEAN;
            }
            if (value instanceof GenericRecord || value instanceof Map) {
                return FieldType.OBJECT;
            }
            if (value instanceof List) {
                return FieldType.ARRAY;
            }
            return FieldType.OTHER;
        }

        @Override
        public String typeName() {
            if (declared == null) {
                return type().name().toLowerCase(java.util.Locale.ROOT);
            }
            if (declared.getType() != Schema.Type.UNION) {
                return name(declared);
            }
            try {
                return name(declared.getTypes().get(GenericData.get().resolveUnion(declared, value)));
            } catch (final RuntimeException e) {
                return declared.toString();
            }
        }

        private static String name(final Schema schema) {
            return switch (schema.getType()) {
                case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
                default -> schema.getType().getName();
            };
        }

        @Override
        public String text() {
            return switch (type()) {
                case STRING, NUMBER, BOOLEAN -> value.toString();
                case BYTES -> new String(bytesOf(value), StandardCharsets.UTF_8);
                default -> throw new IllegalStateException("field '" + edit.path() + "' is an Avro " + typeName()
                    + ", which has no text");
            };
        }

        @Override
        public byte[] encoded() {
            return switch (type()) {
                case STRING -> value.toString().getBytes(StandardCharsets.UTF_8);
                case BYTES -> bytesOf(value);
                default -> throw cannotHold("a string or bytes");
            };
        }

        @Override
        public void setString(final String text) {
            writable();
            if (accepts(Schema.Type.STRING)) {
                put(text);
            } else if (accepts(Schema.Type.BYTES)) {
                put(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            } else {
                throw cannotHold("a string");
            }
        }

        @Override
        public void setBytes(final byte[] bytes) {
            writable();
            if (!accepts(Schema.Type.BYTES)) {
                throw cannotHold("bytes");
            }
            put(ByteBuffer.wrap(bytes));
        }

        @Override
        public void setEncoded(final byte[] encoded) {
            writable();
            switch (type()) {
                case STRING -> put(new String(encoded, StandardCharsets.UTF_8));
                case BYTES -> put(ByteBuffer.wrap(encoded));
                default -> throw cannotHold("a string or bytes");
            }
        }

        private ValueFormatException cannotHold(final String what) {
            return new ValueFormatException("field '" + edit.path() + "' is an Avro " + typeName()
                + ", which cannot hold " + what + " (only string and bytes fields can be masked or encrypted)");
        }

        private boolean accepts(final Schema.Type type) {
            if (declared == null) {
                return type == Schema.Type.STRING && value instanceof CharSequence
                    || type == Schema.Type.BYTES && value instanceof ByteBuffer;
            }
            return branch(declared, type) != null;
        }

        private void writable() {
            if (edit.mode() == FieldEdits.Mode.READ) {
                throw new IllegalStateException("a read-only field edit of '" + edit.path() + "' cannot replace the field");
            }
        }

        static Schema branch(final Schema schema, final Schema.Type type) {
            if (schema.getType() == type) {
                return schema;
            }
            if (schema.getType() == Schema.Type.UNION) {
                for (final Schema branch : schema.getTypes()) {
                    if (branch.getType() == type) {
                        return branch;
                    }
                }
            }
            return null;
        }

        private static byte[] bytesOf(final Object value) {
            if (value instanceof GenericFixed fixed) {
                return fixed.bytes().clone();
            }
            final ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
    }
}

package io.sluice.chain;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.DecodedValue;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;
import io.sluice.spi.ValueFormatException;
import io.sluice.spi.ValueView;
import io.sluice.value.JsonCodec;
import io.sluice.value.JsonTree;

/**
 * The record a chain runs on. Holds the value as bytes, or decoded by one codec (a JSON tree, an Avro datum),
 * whichever was needed last, so that every plugin of a chain shares one decode and one encode: a decoded value
 * is encoded only when someone reads the bytes, or after the chain. Field edits on bytes go through the codec's
 * streaming pass when it has one (JSON does), so a chain that only reads and replaces fields builds no tree.
 */
public final class ChainRecord implements SendRecord {

    private final RecordContext context;
    private final Headers headers;
    private byte[] key;
    /** The value's bytes; stale while {@link #decodedChanged}. */
    private byte[] value;
    /** The value decoded by {@link #decodedBy}, or {@code null}. */
    private DecodedValue decoded;
    private ValueCodec decodedBy;
    /** The decoded value was changed: {@link #value} is stale until encoded. */
    private boolean decodedChanged;
    /** A codec the current bytes are known to decode through (checked or streamed), or {@code null}. */
    private ValueCodec checkedBy;
    private View lastView;
    private String interceptorName;
    private String rejectionReason;
    /** Policy findings as (interceptor, message); allocated only when there is one. */
    private List<String[]> violations;
    private int duplicates;

    public ChainRecord(final RecordContext context, final byte[] key, final byte[] value, final Headers headers) {
        this.context = context;
        this.key = key;
        this.value = value;
        this.headers = headers;
    }

    /** Which interceptor the chain is running now; set by the chain before each hook. */
    public void interceptorName(final String name) {
        this.interceptorName = name;
    }

    @Override
    public String interceptorName() {
        return interceptorName;
    }

    @Override
    public RecordContext context() {
        return context;
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public void key(final byte[] key) {
        this.key = key;
    }

    @Override
    public byte[] value() {
        if (decodedChanged) {
            value = decoded.encode();
            decodedChanged = false;
            checkedBy = decodedBy;
        }
        return value;
    }

    @Override
    public void value(final byte[] value) {
        this.value = value;
        this.decoded = null;
        this.decodedBy = null;
        this.decodedChanged = false;
        this.checkedBy = null;
    }

    @Override
    public ValueView valueView() {
        return valueView(ValueCodecs.auto());
    }

    @Override
    public ValueView valueView(final ValueCodec codec) {
        final View last = lastView;
        if (last != null && last.codec == codec) {
            return last;
        }
        final View view = new View(codec);
        lastView = view;
        return view;
    }

    @Override
    public JsonNode jsonValue() {
        final ValueCodec json = JsonCodec.INSTANCE;
        if (decoded == null || decodedBy != json) {
            final byte[] bytes = value();
            decoded = json.decode(bytes);
            decodedBy = json;
        }
        return ((JsonTree) decoded).root();
    }

    @Override
    public void jsonValue(final JsonNode value) {
        if (value == null) {
            throw new IllegalArgumentException("a JSON value cannot be null; use value(null) for a tombstone");
        }
        this.decoded = new JsonTree(value);
        this.decodedBy = JsonCodec.INSTANCE;
        this.decodedChanged = true;
    }

    /** The value as one codec reads it; all views of a record share its one decoded value. */
    private final class View implements ValueView {
        private final ValueCodec codec;

        View(final ValueCodec codec) {
            this.codec = codec;
        }

        @Override
        public ValueCodec codec() {
            return codec;
        }

        @Override
        public boolean isTombstone() {
            return decoded == null && value == null;
        }

        /** The decoded value when it is this codec's, else {@code null}. */
        private DecodedValue mine(final ValueCodec resolved) {
            return decoded != null && decodedBy == resolved ? decoded : null;
        }

        private byte[] bytes() {
            final byte[] bytes = value();
            if (bytes == null) {
                throw new ValueFormatException("the value is null (a tombstone), not " + codec.format());
            }
            return bytes;
        }

        @Override
        public String format() {
            final ValueCodec resolved = codec.resolved();
            final DecodedValue mine = mine(resolved);
            if (mine != null) {
                return mine.format();
            }
            final String format = resolved.formatOf(bytes());
            checkedBy = resolved;
            return format;
        }

        @Override
        public int schemaId() {
            final ValueCodec resolved = codec.resolved();
            final DecodedValue mine = mine(resolved);
            if (mine != null) {
                return mine.schemaId();
            }
            final int id = resolved.schemaIdOf(bytes());
            checkedBy = resolved;
            return id;
        }

        @Override
        public void check() {
            final ValueCodec resolved = codec.resolved();
            if (mine(resolved) != null || (checkedBy == resolved && !decodedChanged && value != null)) {
                return;
            }
            resolved.check(bytes());
            checkedBy = resolved;
        }

        @Override
        public int apply(final FieldEdits edits) {
            final ValueCodec resolved = codec.resolved();
            DecodedValue target = mine(resolved);
            if (target == null) {
                final byte[] bytes = bytes();
                final ValueCodec.Streamed streamed = resolved.stream(bytes, edits);
                if (streamed != null) {
                    if (streamed.value() != bytes) {
                        ChainRecord.this.value(streamed.value());
                    }
                    checkedBy = resolved;
                    return streamed.selected();
                }
                target = resolved.decode(bytes);
                decoded = target;
                decodedBy = resolved;
            }
            final int selected = target.apply(edits);
            if (selected > 0) {
                decodedChanged = true;
            }
            return selected;
        }
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public void reject(final String reason) {
        this.rejectionReason = reason == null || reason.isBlank() ? "rejected" : reason;
    }

    @Override
    public void reportViolation(final String message) {
        if (violations == null) {
            violations = new ArrayList<>(2);
        }
        violations.add(new String[] {interceptorName, message});
    }

    /** The findings reported with {@link #reportViolation}: pairs of interceptor name and message. */
    public List<String[]> violations() {
        return violations == null ? List.of() : violations;
    }

    @Override
    public void duplicate() {
        duplicates++;
    }

    /** How many extra copies to write to egress. */
    public int duplicates() {
        return duplicates;
    }

    public boolean isRejected() {
        return rejectionReason != null;
    }

    /** The reason given to {@link #reject}, or {@code null}. */
    public String rejectionReason() {
        return rejectionReason;
    }
}

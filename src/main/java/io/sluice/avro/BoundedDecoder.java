package io.sluice.avro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder over a byte array that refuses lengths and counts larger than the bytes left.
 * Avro's own decoder allocates whatever a length prefix claims before reading, so a few garbage bytes
 * can ask for gigabytes and end in an OutOfMemoryError; here they end in an {@link IOException}.
 * Every element of an array or map takes at least one byte in every schema we ship, so a block count
 * can never exceed the bytes left either.
 */
final class BoundedDecoder extends Decoder {

    private final ByteArrayInputStream input;
    // The direct decoder reads exactly what it is asked for, so input.available() is what is left.
    private final BinaryDecoder inner;

    BoundedDecoder(final byte[] bytes, final int offset, final int length) {
        this.input = new ByteArrayInputStream(bytes, offset, length);
        this.inner = DecoderFactory.get().directBinaryDecoder(input, null);
    }

    /** Whether every byte was read: trailing bytes mean the record is not what its header says. */
    boolean isEnd() {
        return input.available() == 0;
    }

    private int length(final long claimed, final String what) throws IOException {
        if (claimed < 0 || claimed > input.available()) {
            throw new IOException("malformed: a " + what + " claims " + claimed + " bytes, " + input.available() + " are left");
        }
        return (int) claimed;
    }

    private long count(final long claimed) throws IOException {
        // A negative block count is followed by the block's size in bytes (Avro's skippable blocks).
        final long items = claimed < 0 ? -claimed : claimed;
        if (items > input.available()) {
            throw new IOException("malformed: a block claims " + items + " items, " + input.available() + " bytes are left");
        }
        if (claimed < 0) {
            length(inner.readLong(), "block");
        }
        return items;
    }

    private byte[] bytes(final String what) throws IOException {
        final byte[] bytes = new byte[length(inner.readLong(), what)];
        inner.readFixed(bytes, 0, bytes.length);
        return bytes;
    }

    @Override
    public void readNull() throws IOException {
        inner.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return inner.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return inner.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return inner.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return inner.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return inner.readDouble();
    }

    @Override
    public Utf8 readString(final Utf8 old) throws IOException {
        return new Utf8(bytes("string"));
    }

    @Override
    public String readString() throws IOException {
        return new String(bytes("string"), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        inner.skipFixed(length(inner.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(final ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(bytes("bytes value"));
    }

    @Override
    public void skipBytes() throws IOException {
        inner.skipFixed(length(inner.readLong(), "bytes value"));
    }

    @Override
    public void readFixed(final byte[] bytes, final int start, final int length) throws IOException {
        inner.readFixed(bytes, start, length(length, "fixed value"));
    }

    @Override
    public void skipFixed(final int length) throws IOException {
        inner.skipFixed(length(length, "fixed value"));
    }

    @Override
    public int readEnum() throws IOException {
        return inner.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(inner.readLong());
    }

    @Override
    public long arrayNext() throws IOException {
        return count(inner.readLong());
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks();
    }

    @Override
    public long readMapStart() throws IOException {
        return count(inner.readLong());
    }

    @Override
    public long mapNext() throws IOException {
        return count(inner.readLong());
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks();
    }

    // Skips the blocks that carry their byte size; returns the item count of the first one that does not.
    private long skipBlocks() throws IOException {
        while (true) {
            final long claimed = inner.readLong();
            if (claimed >= 0) {
                return count(claimed);
            }
            count(-claimed);
            inner.skipFixed(length(inner.readLong(), "block"));
        }
    }

    @Override
    public int readIndex() throws IOException {
        return inner.readIndex();
    }
}

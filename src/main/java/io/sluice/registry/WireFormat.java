package io.sluice.registry;

import io.sluice.spi.ValueFormatException;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema's global id as 4 bytes big-endian, then the payload
 * (Avro binary, or UTF-8 JSON for JSON Schema).
 */
public final class WireFormat {

    public static final byte MAGIC = 0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** Whether the value claims the wire format (first byte 0); {@link #schemaId} checks the rest. */
    public static boolean looksFramed(final byte[] value) {
        return value != null && value.length > 0 && value[0] == MAGIC;
    }

    /**
     * The schema id of a framed value.
     *
     * @throws ValueFormatException when the value is not framed, or too short to hold the id and a payload
     */
    public static int schemaId(final byte[] value) {
        if (value == null) {
            throw new ValueFormatException("the value is null (a tombstone), not a framed schema-registry value");
        }
        if (value.length == 0 || value[0] != MAGIC) {
            throw new ValueFormatException("the value is not in the schema registry's wire format: it does not start"
                + " with the magic byte 0");
        }
        if (value.length < HEADER_LENGTH) {
            throw new ValueFormatException("truncated frame: " + value.length + " bytes, shorter than the 5-byte"
                + " header (magic byte 0, 4-byte schema id)");
        }
        return (value[1] & 0xFF) << 24 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 8 | value[4] & 0xFF;
    }

    /** A header followed by {@code payload}. */
    public static byte[] frame(final int schemaId, final byte[] payload) {
        return frame(schemaId, payload, 0, payload.length);
    }

    public static byte[] frame(final int schemaId, final byte[] payload, final int offset, final int length) {
        final byte[] framed = new byte[HEADER_LENGTH + length];
        writeHeader(schemaId, framed);
        System.arraycopy(payload, offset, framed, HEADER_LENGTH, length);
        return framed;
    }

    /** Writes the 5-byte header at the start of {@code target}. */
    public static void writeHeader(final int schemaId, final byte[] target) {
        target[0] = MAGIC;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /** The 5-byte header of an id. */
    public static byte[] header(final int schemaId) {
        final byte[] header = new byte[HEADER_LENGTH];
        writeHeader(schemaId, header);
        return header;
    }
}

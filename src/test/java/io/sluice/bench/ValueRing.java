package io.sluice.bench;

/**
 * Copies of one value handed out in turn, so that every record a benchmark makes has an array of its own, as every
 * record a consumer fetched has: the value view keeps what it learnt about an array (JSON's tape) until the record's
 * value is replaced, which one array shared by every record would carry from record to record.
 */
final class ValueRing {

    private static final int COPIES = 1024;

    private final byte[][] copies = new byte[COPIES][];
    private int next;

    ValueRing(final byte[] value) {
        for (int i = 0; i < COPIES; i++) {
            copies[i] = value.clone();
        }
    }

    byte[] next() {
        final byte[] value = copies[next];
        next = (next + 1) & (COPIES - 1);
        return value;
    }
}

package io.sluice.plugins.chaos;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import io.sluice.spi.Interceptor;
import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;

/**
 * Duplicates or corrupts a share of records, for testing what consumers do with them.
 *
 * <p>With a seed, whether a record is hit depends only on the seed and the record's ingress topic, partition and
 * offset: the same records are hit on every run and after every restart or rebalance, whatever thread handles
 * them, so a failing consumer test can be replayed.
 */
final class ChaosInterceptor implements Interceptor {

    // Distinct streams for the two decisions, so that duplicated and corrupted records are independent.
    private static final long DUPLICATE_STREAM = 0x9E3779B97F4A7C15L;
    private static final long CORRUPT_STREAM = 0xC2B2AE3D27D4EB4FL;

    private final double duplicatePercent;
    private final double corruptPercent;
    private final boolean seeded;
    private final long seed;

    ChaosInterceptor(final ChaosConfig config) {
        this.duplicatePercent = config.duplicatePercent();
        this.corruptPercent = config.corruptPercent();
        this.seeded = config.seed() != null;
        this.seed = seeded ? config.seed() : 0L;
    }

    @Override
    public void onSend(final SendRecord record) {
        if (corruptPercent > 0 && record.value() != null && hits(record.context(), CORRUPT_STREAM, corruptPercent)) {
            record.value(corrupt(record.value()));
        }
        if (duplicatePercent > 0 && hits(record.context(), DUPLICATE_STREAM, duplicatePercent)) {
            record.duplicate();
        }
    }

    private boolean hits(final RecordContext context, final long stream, final double percent) {
        final double roll = seeded ? roll(context, stream) : ThreadLocalRandom.current().nextDouble(100);
        return roll < percent;
    }

    /** A number in [0, 100) determined by the seed, the stream and the record's ingress coordinates. */
    private double roll(final RecordContext context, final long stream) {
        long h = mix(seed ^ stream);
        h = mix(h ^ context.topic().hashCode());
        h = mix(h ^ context.partition());
        h = mix(h ^ context.offset());
        return (h >>> 11) * 0x1.0p-53 * 100;
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(final long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Cuts the value to half its length (at least one byte) and inverts the bits of its first byte: neither JSON
     * (an opening brace becomes 0x84, not valid UTF-8) nor a length-prefixed binary format reads that back.
     */
    static byte[] corrupt(final byte[] value) {
        final byte[] corrupted = value.length == 0 ? new byte[1] : Arrays.copyOf(value, Math.max(1, value.length / 2));
        corrupted[0] = (byte) ~corrupted[0];
        return corrupted;
    }
}

package io.sluice.plugins.quota;

/** The record and byte buckets of one user or vcluster; a record takes from both or from neither. */
final class Allowance {

    private final TokenBucket records;
    private final TokenBucket bytes;

    Allowance(final QuotaConfig config, final long now) {
        this.records = config.recordsPerSecond() > 0 ? new TokenBucket(config.recordsPerSecond(), now) : null;
        this.bytes = config.bytesPerSecond() > 0 ? new TokenBucket(config.bytesPerSecond(), now) : null;
    }

    /**
     * Takes one record of {@code size} bytes if both buckets allow it.
     *
     * @return {@code null} when taken, else why not: the rejection reason, to follow the key's name
     */
    synchronized String take(final int size, final long now) {
        if (records != null && !records.has(1, now)) {
            return "is over its quota of " + rate(records.rate()) + " records/s";
        }
        if (bytes != null && size > bytes.rate()) {
            return "sent a record of " + size + " bytes, larger than its whole quota of " + rate(bytes.rate()) + " bytes/s";
        }
        if (bytes != null && !bytes.has(size, now)) {
            return "is over its quota of " + rate(bytes.rate()) + " bytes/s";
        }
        if (records != null) {
            records.take(1);
        }
        if (bytes != null) {
            bytes.take(size);
        }
        return null;
    }

    private static String rate(final double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}

package io.sluice.plugins.quota;

/**
 * A token bucket: {@code rate} tokens per second, holding at most one second's worth, so that a key that was idle
 * may burst up to its per-second quota and no more. Not thread-safe: {@link Allowance} guards it.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double rate;
    private double tokens;
    private long refilledAt;

    TokenBucket(final double rate, final long now) {
        this.rate = rate;
        this.tokens = rate;
        this.refilledAt = now;
    }

    double rate() {
        return rate;
    }

    /** Whether {@code amount} tokens are there now; takes none. */
    boolean has(final double amount, final long now) {
        refill(now);
        return tokens >= amount;
    }

    void take(final double amount) {
        tokens -= amount;
    }

    private void refill(final long now) {
        final long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(rate, tokens + elapsed / NANOS_PER_SECOND * rate);
            refilledAt = now;
        }
    }
}

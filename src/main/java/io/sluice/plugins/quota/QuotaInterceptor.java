package io.sluice.plugins.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.sluice.plugins.quota.QuotaConfig.Per;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/**
 * Rejects the records of a user (or vcluster) over its rate. Counts what this instance sees: the quota holds per
 * Sluice instance, like Kafka's broker quotas hold per broker.
 */
final class QuotaInterceptor implements Interceptor {

    /** The anonymous user's key: {@link ConcurrentHashMap} takes no null keys, and no username is empty. */
    private static final String ANONYMOUS = "";

    private final QuotaConfig config;
    private final LongSupplier clock;
    private final boolean perUser;
    // One entry per user or vcluster that sent through this binding; both are bounded by the platform's tenants.
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();

    QuotaInterceptor(final QuotaConfig config, final LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.perUser = config.per() == Per.USER;
    }

    @Override
    public void onSend(final SendRecord record) {
        final String key = key(record);
        final byte[] recordKey = record.key();
        final byte[] value = record.value();
        final int size = (recordKey == null ? 0 : recordKey.length) + (value == null ? 0 : value.length);
        final String refused = allowance(key).take(size, clock.getAsLong());
        if (refused != null) {
            record.reject(who(key) + " " + refused);
        }
    }

    private String key(final SendRecord record) {
        if (!perUser) {
            return record.context().vcluster();
        }
        final String username = record.context().username();
        return username == null ? ANONYMOUS : username;
    }

    private Allowance allowance(final String key) {
        final Allowance known = allowances.get(key);
        return known != null ? known : allowances.computeIfAbsent(key, k -> new Allowance(config, clock.getAsLong()));
    }

    private String who(final String key) {
        if (!perUser) {
            return "vcluster '" + key + "'";
        }
        return key.equals(ANONYMOUS) ? "the anonymous user" : "user '" + key + "'";
    }
}

package io.sluice.plugins.quota;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code quota} config.
 *
 * @param recordsPerSecond the records allowed per second and per key, or 0 for no record limit
 * @param bytesPerSecond   the key + value bytes allowed per second and per key, or 0 for no byte limit
 * @param per              what a quota is kept for
 */
record QuotaConfig(
    @ConfigDoc(type = "number > 0", value = "records per second per user (or vcluster); an idle one may burst up to one"
        + " second's worth") double recordsPerSecond,
    @ConfigDoc(type = "number > 0", value = "key + value bytes per second per user (or vcluster); one of"
        + " recordsPerSecond / bytesPerSecond is required") double bytesPerSecond,
    @ConfigDoc(type = "user | vcluster", defaultValue = "user", value = "whose quota: the sending user (anonymous users"
        + " share one) or the vcluster. Counted per Sluice instance") Per per) {

    /** What a quota is kept for. */
    enum Per { USER, VCLUSTER }

    static QuotaConfig read(final ConfigReader config) {
        final double records = positive(config, "recordsPerSecond", 1e12);
        final double bytes = positive(config, "bytesPerSecond", 1e15);
        final Per per = config.choice("per", Per.class, Per.USER);
        if (!config.has("recordsPerSecond") && !config.has("bytesPerSecond")) {
            config.problem("recordsPerSecond", "is required (or bytesPerSecond): a quota needs a rate");
        }
        config.rejectUnknownFields();
        return new QuotaConfig(records, bytes, per);
    }

    /** A rate above 0, or 0 when absent. */
    private static double positive(final ConfigReader config, final String name, final double max) {
        final double rate = config.decimal(name, 0, max, 0.0);
        if (rate == 0 && config.has(name) && config.node(name).isNumber() && config.node(name).doubleValue() == 0) {
            config.problem(name, "must be above 0; leave it out for no limit");
        }
        return rate;
    }
}

package io.sluice.plugins.chaos;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code chaos} config.
 *
 * @param duplicatePercent the share of records written twice, 0 to 100
 * @param corruptPercent   the share of records whose value is corrupted, 0 to 100
 * @param seed             makes the choice of records deterministic, or {@code null} for random
 */
record ChaosConfig(
    @ConfigDoc(type = "number 0-100", defaultValue = "0", value = "the share of records written to egress twice")
    double duplicatePercent,
    @ConfigDoc(type = "number 0-100", defaultValue = "0", value = "the share of records whose value is corrupted: cut"
        + " to half its length, first byte inverted") double corruptPercent,
    @ConfigDoc(value = "makes it deterministic: the same records (by topic, partition, offset) are hit on every run")
    Long seed) {

    static ChaosConfig read(final ConfigReader config) {
        final double duplicate = config.decimal("duplicatePercent", 0, 100, 0.0);
        final double corrupt = config.decimal("corruptPercent", 0, 100, 0.0);
        final Long seed = config.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE, null);
        if (config.problems().isEmpty() && duplicate == 0 && corrupt == 0) {
            config.problem("", "does nothing: set duplicatePercent or corruptPercent above 0");
        }
        config.rejectUnknownFields();
        return new ChaosConfig(duplicate, corrupt, seed);
    }
}

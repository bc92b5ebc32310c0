package io.sluice.plugins.chaos;

import io.sluice.plugins.support.ConfigReader;

/**
 * The {@code chaos} config.
 *
 * @param duplicatePercent the share of records written twice, 0 to 100
 * @param corruptPercent   the share of records whose value is corrupted, 0 to 100
 * @param seed             makes the choice of records deterministic, or {@code null} for random
 */
record ChaosConfig(double duplicatePercent, double corruptPercent, Long seed) {

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

package io.sluice.plugins.producepolicy;

import java.util.List;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code produce-policy} config.
 *
 * @param requireKey      records must have a non-empty key
 * @param requiredHeaders headers every record must have
 * @param maxValueBytes   the largest value allowed, or 0 for no limit
 * @param valueFormat     what values must be
 * @param action          what a violation does
 */
record ProducePolicyConfig(
    @ConfigDoc(defaultValue = "false", value = "records must have a key (null and empty keys violate)") boolean requireKey,
    @ConfigDoc("headers every record must have") List<String> requiredHeaders,
    @ConfigDoc(type = "integer >= 1", value = "the largest value, in bytes; tombstones pass") int maxValueBytes,
    @ConfigDoc(type = "json | any", defaultValue = "any", value = "json: values must parse as JSON; tombstones pass")
    ValueFormat valueFormat,
    @ConfigDoc(defaultValue = "BLOCK", value = "BLOCK rejects the record with every violation as the reason; INFO lets"
        + " it pass and reports each violation in its acknowledgement event") Action action) {

    /** What values must be. */
    enum ValueFormat { JSON, ANY }

    /** What a violation does. */
    enum Action {
        /** The record is rejected with every violation as the reason. */
        BLOCK,
        /** The record passes; each violation is reported in its acknowledgement event. */
        INFO
    }

    static ProducePolicyConfig read(final ConfigReader config) {
        final boolean requireKey = config.bool("requireKey", false);
        final List<String> requiredHeaders = config.stringList("requiredHeaders");
        final long maxValueBytes = config.integer("maxValueBytes", 1, Integer.MAX_VALUE, 0L);
        final ValueFormat valueFormat = config.choice("valueFormat", ValueFormat.class, ValueFormat.ANY);
        final Action action = config.choice("action", Action.class, Action.BLOCK);
        if (config.problems().isEmpty() && !requireKey && requiredHeaders.isEmpty() && maxValueBytes == 0
                && valueFormat == ValueFormat.ANY) {
            config.problem("", "sets no rule: set requireKey, requiredHeaders, maxValueBytes or valueFormat: json");
        }
        config.rejectUnknownFields();
        return new ProducePolicyConfig(requireKey, requiredHeaders, (int) maxValueBytes, valueFormat, action);
    }
}

package io.sluice.plugins.producepolicy;

import java.util.ArrayList;
import java.util.List;

import io.sluice.plugins.producepolicy.ProducePolicyConfig.Action;
import io.sluice.plugins.producepolicy.ProducePolicyConfig.ValueFormat;
import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueCodecs;
import io.sluice.spi.ValueFormatException;

/** Checks every record against the policy; blocks it or reports the violations. */
final class ProducePolicyInterceptor implements Interceptor {

    private final boolean requireKey;
    private final String[] requiredHeaders;
    private final int maxValueBytes;
    private final boolean requireJson;
    private final boolean block;

    ProducePolicyInterceptor(final ProducePolicyConfig config) {
        this.requireKey = config.requireKey();
        this.requiredHeaders = config.requiredHeaders().toArray(String[]::new);
        this.maxValueBytes = config.maxValueBytes();
        this.requireJson = config.valueFormat() == ValueFormat.JSON;
        this.block = config.action() == Action.BLOCK;
    }

    @Override
    public void onSend(final SendRecord record) {
        final List<String> violations = violations(record);
        if (violations == null) {
            return;
        }
        if (block) {
            record.reject(String.join("; ", violations));
        } else {
            violations.forEach(record::reportViolation);
        }
    }

    /** Every violation, or {@code null} when there is none (the common case allocates nothing). */
    private List<String> violations(final SendRecord record) {
        List<String> violations = null;
        if (requireKey && (record.key() == null || record.key().length == 0)) {
            violations = add(violations, "the record has no key");
        }
        for (final String header : requiredHeaders) {
            if (record.headers().lastHeader(header) == null) {
                violations = add(violations, "the record has no '" + header + "' header");
            }
        }
        // A tombstone has no value to measure or parse: it deletes, and compaction needs it.
        if (maxValueBytes > 0 || requireJson) {
            final byte[] value = record.value();
            if (value != null && maxValueBytes > 0 && value.length > maxValueBytes) {
                violations = add(violations, "the value is " + value.length + " bytes, over maxValueBytes " + maxValueBytes);
            }
            if (value != null && requireJson) {
                try {
                    // A format test, not a decode: a JSON value is checked in one pass, no tree is built for it.
                    record.valueView(ValueCodecs.json()).check();
                } catch (final ValueFormatException e) {
                    violations = add(violations, e.getMessage());
                }
            }
        }
        return violations;
    }

    private static List<String> add(final List<String> violations, final String violation) {
        final List<String> list = violations == null ? new ArrayList<>(2) : violations;
        list.add(violation);
        return list;
    }
}

package io.sluice.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record to produce in a test: key, value and headers as UTF-8 strings.
 *
 * @param key     the key, or {@code null}
 * @param value   the value, or {@code null} (a tombstone)
 * @param headers header names to values, in order
 */
public record TestRecord(String key, String value, Map<String, String> headers) {

    public TestRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static TestRecord of(final String key, final String value) {
        return new TestRecord(key, value, Map.of());
    }

    /** This record with one more header. */
    public TestRecord header(final String name, final String headerValue) {
        final Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, headerValue);
        return new TestRecord(key, value, more);
    }
}

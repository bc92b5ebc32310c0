package io.sluice.plugins.support;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.chain.ChainRecord;
import io.sluice.common.Json;
import io.sluice.spi.RecordContext;

/** Records and configs for plugin tests. */
public final class TestRecords {

    public static final RecordContext CONTEXT =
        new RecordContext("payments", "alice", Set.of("analysts", "admins"), "orders.eu", 3, 42L, 1_700_000_000_000L);

    private TestRecords() {
    }

    /** A record from {@link #CONTEXT} with that UTF-8 value, run by interceptor {@code test-interceptor}. */
    public static ChainRecord record(final String value) {
        return record(CONTEXT, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public static ChainRecord record(final RecordContext context, final byte[] value) {
        final ChainRecord record = new ChainRecord(context, "key-1".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders());
        record.interceptorName("test-interceptor");
        return record;
    }

    /** Parses JSON or YAML-like single-quoted JSON ({@code {'a': 1}}) for short configs in tests. */
    public static JsonNode json(final String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (final Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static String text(final byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The last value of a header as UTF-8, or {@code null}. */
    public static String header(final ChainRecord record, final String name) {
        final Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    /** The record's value as a string, after any JSON changes were serialized. */
    public static String value(final ChainRecord record) {
        return text(record.value());
    }
}

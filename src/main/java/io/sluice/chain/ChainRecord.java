package io.sluice.chain;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;
import io.sluice.spi.ValueFormatException;

/**
 * The record a chain runs on. Holds the value as bytes or as a parsed JSON tree, whichever was asked for
 * last, so that every JSON plugin of a chain shares one parse and one serialization.
 */
public final class ChainRecord implements SendRecord {

    private final RecordContext context;
    private final Headers headers;
    private byte[] key;
    private byte[] value;
    private JsonNode json;
    /** The tree was handed back changed: {@link #value} is stale until serialized. */
    private boolean jsonChanged;
    private String interceptorName;
    private String rejectionReason;
    /** Policy findings as (interceptor, message); allocated only when there is one. */
    private List<String[]> violations;
    private int duplicates;

    public ChainRecord(final RecordContext context, final byte[] key, final byte[] value, final Headers headers) {
        this.context = context;
        this.key = key;
        this.value = value;
        this.headers = headers;
    }

    /** Which interceptor the chain is running now; set by the chain before each hook. */
    public void interceptorName(final String name) {
        this.interceptorName = name;
    }

    @Override
    public String interceptorName() {
        return interceptorName;
    }

    @Override
    public RecordContext context() {
        return context;
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public void key(final byte[] key) {
        this.key = key;
    }

    @Override
    public byte[] value() {
        if (jsonChanged) {
            value = serialize(json);
            jsonChanged = false;
        }
        return value;
    }

    @Override
    public void value(final byte[] value) {
        this.value = value;
        this.json = null;
        this.jsonChanged = false;
    }

    @Override
    public JsonNode jsonValue() {
        if (json == null) {
            json = parse(value);
        }
        return json;
    }

    @Override
    public void jsonValue(final JsonNode value) {
        if (value == null) {
            throw new IllegalArgumentException("a JSON value cannot be null; use value(null) for a tombstone");
        }
        this.json = value;
        this.jsonChanged = true;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public void reject(final String reason) {
        this.rejectionReason = reason == null || reason.isBlank() ? "rejected" : reason;
    }

    @Override
    public void reportViolation(final String message) {
        if (violations == null) {
            violations = new ArrayList<>(2);
        }
        violations.add(new String[] {interceptorName, message});
    }

    /** The findings reported with {@link #reportViolation}: pairs of interceptor name and message. */
    public List<String[]> violations() {
        return violations == null ? List.of() : violations;
    }

    @Override
    public void duplicate() {
        duplicates++;
    }

    /** How many extra copies to write to egress. */
    public int duplicates() {
        return duplicates;
    }

    public boolean isRejected() {
        return rejectionReason != null;
    }

    /** The reason given to {@link #reject}, or {@code null}. */
    public String rejectionReason() {
        return rejectionReason;
    }

    private static JsonNode parse(final byte[] bytes) {
        if (bytes == null) {
            throw new ValueFormatException("the value is null (a tombstone), not JSON");
        }
        final JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message quotes the value: say only where it breaks, so no plaintext reaches audit or logs.
            final com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new ValueFormatException("the value is not JSON" + (at == null ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (final IOException e) {
            throw new ValueFormatException("the value is not JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ValueFormatException("the value is empty, not JSON");
        }
        return tree;
    }

    private static byte[] serialize(final JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}

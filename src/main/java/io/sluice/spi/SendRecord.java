package io.sluice.spi;

import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The record an interceptor's {@code onSend} sees, before it is partitioned and written to egress.
 * Key, value and headers may be changed; the record may be rejected with a reason.
 */
public interface SendRecord {

    /** The record's sender and ingress coordinates. */
    RecordContext context();

    /** The name of the interceptor (binding) being run, e.g. for {@code {{interceptor}}} templates. */
    String interceptorName();

    byte[] key();

    void key(byte[] key);

    /**
     * The value's bytes; {@code null} for a tombstone. Reading them encodes what the chain changed through a
     * {@link ValueView} or {@link #jsonValue(JsonNode)}: to look inside the value, prefer the view. Do not change the
     * array in place: hand a new one to {@link #value(byte[])}. The chain keeps what it learnt about these bytes (that
     * they decode, where a JSON value's fields lie) until the value is replaced.
     */
    byte[] value();

    /** Replaces the whole value (framing included); {@code null} makes the record a tombstone. */
    void value(byte[] value);

    /**
     * The value through the default codec ({@link ValueCodecs#auto()}): JSON, or a value framed for a schema
     * registry read through the registry. Fields by path, format tests; shared by the chain, one decode per record.
     */
    ValueView valueView();

    /** The value through a codec, e.g. the one a binding's {@code valueFormat} names ({@link ValueCodecs#named}). */
    ValueView valueView(ValueCodec codec);

    /**
     * The value parsed as a JSON tree (UTF-8), parsed once per record and shared by every interceptor of the
     * chain. To change the value, change the tree and hand it back with {@link #jsonValue(JsonNode)}: the
     * record is serialized once, when it is next read as bytes or after the chain.
     *
     * <p>A tree costs a full parse and a full serialization. Plugins that read or replace fields by path should
     * use {@link #valueView()} instead: it works for every value format, and a chain of such plugins edits JSON
     * in a streaming pass without a tree. The tree stays for plugins that need the whole document.
     *
     * @throws ValueFormatException when the value is absent or not JSON
     */
    JsonNode jsonValue();

    /** Replaces the value with a JSON tree (serialized once, after the chain). */
    void jsonValue(JsonNode value);

    /** The record's headers: mutable, in order. */
    Headers headers();

    /** Sends the record to the rejected topic instead of egress; the rest of the chain is not run. */
    void reject(String reason);

    /**
     * Reports a policy finding that lets the record pass (e.g. {@code produce-policy} with {@code action: INFO});
     * it appears in the record's acknowledgement event under {@code violations}.
     */
    void reportViolation(String message);

    /** Writes the record to egress one more time (the {@code chaos} plugin's duplicates). */
    void duplicate();
}

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

    /** The value's bytes; {@code null} for a tombstone. */
    byte[] value();

    void value(byte[] value);

    /**
     * The value parsed as JSON (UTF-8), parsed once per record and shared by every interceptor of the
     * chain. To change the value, change the tree and hand it back with {@link #jsonValue(JsonNode)}: the
     * record is serialized once, when it is next read as bytes or after the chain.
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

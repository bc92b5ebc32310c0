package io.sluice.spi;

import org.apache.kafka.common.header.Headers;

/** A fetched ingress record, as {@code onConsume} observes it (read-only). */
public record ConsumedRecord(RecordContext context, byte[] key, byte[] value, Headers headers) {
}

package io.sluice.spi;

/** One committed ingress offset: Kafka's convention, the next offset to consume. */
public record CommittedOffset(String topic, int partition, long offset) {
}

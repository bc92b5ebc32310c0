package io.sluice.audit;

import java.util.Arrays;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor (Kafka's {@code interceptor.classes}, on Sluice's stream-thread producers) that makes the
 * first copy of each record written to a topic ending in {@code .out} larger than {@code max.request.size}: the
 * producer refuses it inside {@code send} and calls its callback there and then, before the second copy of a
 * duplicated record is sent — the first copy completes while the record is still being forwarded. Records to a
 * topic ending in {@code _rejected} (the dead-letter copy of the refused write) are refused the same way.
 */
public final class FirstCopyTooLarge implements ProducerInterceptor<byte[], byte[]> {

    /** More than the producer's default {@code max.request.size} (1 MiB). */
    private static final int TOO_LARGE = 2 * 1024 * 1024;

    private byte[] last;

    @Override
    public ProducerRecord<byte[], byte[]> onSend(final ProducerRecord<byte[], byte[]> record) {
        if (record.topic().endsWith("_rejected")) {
            // The dead-letter copy Streams sends from the refused write's callback: refused at once too, so that
            // nothing of the first copy is left in flight.
            return tooLarge(record);
        }
        if (!record.topic().endsWith(".out")) {
            return record;
        }
        final boolean firstCopy = last == null || !Arrays.equals(last, record.value());
        last = record.value();
        if (!firstCopy) {
            return record;
        }
        return tooLarge(record);
    }

    private static ProducerRecord<byte[], byte[]> tooLarge(final ProducerRecord<byte[], byte[]> record) {
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
            new byte[TOO_LARGE], record.headers());
    }

    @Override
    public void onAcknowledgement(final RecordMetadata metadata, final Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(final Map<String, ?> configs) {
    }
}

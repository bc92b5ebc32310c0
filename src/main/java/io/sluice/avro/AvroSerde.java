package io.sluice.avro;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} over an {@link AvroCodec}. {@code null} stays {@code null} both ways (tombstones).
 * Unreadable bytes become a {@link SerializationException} whose cause is the {@link AvroDecodingException},
 * so Kafka Streams' deserialization exception handler sees them.
 *
 * <p>Where a bad record must become a value (the config topic, {@code sluice audit}), read the topic with
 * byte-array serdes and call the codec, or {@code BindingRecords}, instead.
 *
 * @param <T> the generated class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final AvroCodec<T> codec;

    public AvroSerde(final AvroCodec<T> codec) {
        this.codec = codec;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(final Class<T> type) {
        return new AvroSerde<>(AvroCodec.of(type));
    }

    public AvroCodec<T> codec() {
        return codec;
    }

    @Override
    public byte[] serialize(final String topic, final T data) {
        return data == null ? null : codec.encode(data);
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.decode(data);
        } catch (final AvroDecodingException e) {
            throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // Nothing to configure: the schema comes with the class, no registry.
    }

    @Override
    public void close() {
        // Serde, Serializer and Deserializer all declare close(); nothing to release.
    }
}

package io.sluice.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

    static Stream<SpecificRecord> everySchema() {
        return Stream.of(Events.fullKey(), Events.globalKey(), Events.fullValue(), Events.minimalValue(),
            Events.fullAck(), Events.minimalAck(), Events.fullCommit(), Events.minimalCommit());
    }

    @ParameterizedTest
    @MethodSource("everySchema")
    void roundTripsEveryRecord(final SpecificRecord record) {
        // given
        final AvroCodec<SpecificRecord> codec = codecFor(record);

        // when
        final SpecificRecord decoded = codec.decode(codec.encode(record));

        // then
        assertEquals(record, decoded);
    }

    @ParameterizedTest
    @MethodSource("everySchema")
    void writesTheSingleObjectHeader(final SpecificRecord record) {
        // given
        final AvroCodec<SpecificRecord> codec = codecFor(record);
        final long fingerprint = SchemaNormalization.parsingFingerprint64(record.getSchema());

        // when
        final byte[] bytes = codec.encode(record);

        // then
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (fingerprint >>> (8 * i)), bytes[2 + i], "fingerprint byte " + i + ", little-endian");
        }
        assertEquals(fingerprint, AvroCodec.fingerprintOf(bytes));
    }

    @Test
    void isReadableByAvrosOwnSingleObjectDecoderAndTheOtherWayRound() throws IOException {
        // given
        final AvroCodec<AckEvent> codec = AvroCodec.of(AckEvent.class);
        final AckEvent event = Events.fullAck();

        // when
        final AckEvent readByAvro = AckEvent.getDecoder().decode(codec.encode(event));
        final AckEvent readByUs = codec.decode(AckEvent.getEncoder().encode(event).array());

        // then
        assertEquals(event, readByAvro);
        assertEquals(event, readByUs);
    }

    @Test
    void encodingIsDeterministic() {
        // given
        final AvroCodec<BindingKey> codec = AvroCodec.of(BindingKey.class);

        // when
        final byte[] first = codec.encode(new BindingKey("mask", "payments", "analysts", null));
        final byte[] second = codec.encode(new BindingKey("mask", "payments", "analysts", null));

        // then
        assertArrayEquals(first, second);
    }

    @Test
    void rejectsNull() {
        // given
        final AvroCodec<AckEvent> codec = AvroCodec.of(AckEvent.class);

        // when
        final AvroDecodingException error = assertThrows(AvroDecodingException.class, () -> codec.decode(null));

        // then
        assertTrue(error.getMessage().contains("no bytes"), error.getMessage());
    }

    @Test
    void rejectsBytesShorterThanTheHeader() {
        assertDecodingFails(BindingKey.class, new byte[] {(byte) 0xC3, 0x01, 1, 2}, "shorter than the 10-byte header");
        assertDecodingFails(BindingKey.class, new byte[0], "shorter than the 10-byte header");
    }

    @Test
    void rejectsBytesWithoutTheMagic() {
        assertDecodingFails(BindingValue.class, "{\"plugin\":\"chaos\",\"priority\":1}".getBytes(StandardCharsets.UTF_8),
            "do not start with C3 01");
    }

    @Test
    void rejectsAnUnknownFingerprint() {
        // given
        final byte[] bytes = AvroCodec.of(CommitEvent.class).encode(Events.fullCommit());
        bytes[5] ^= 0x5A;

        // then
        assertDecodingFails(CommitEvent.class, bytes, "unknown schema fingerprint " + AvroCodec.hex(AvroCodec.fingerprintOf(bytes)));
    }

    @Test
    void rejectsARecordOfAnotherType() {
        // given
        final byte[] commit = AvroCodec.of(CommitEvent.class).encode(Events.fullCommit());

        // when
        final AvroDecodingException error = assertThrows(AvroDecodingException.class,
            () -> AvroCodec.of(AckEvent.class).decode(commit));

        // then
        assertEquals("the record is a io.sluice.avro.CommitEvent, not a io.sluice.avro.AckEvent", error.getMessage());
    }

    @Test
    void rejectsEveryTruncationOfARecord() {
        // given
        final byte[] bytes = AvroCodec.of(AckEvent.class).encode(Events.fullAck());

        // then
        for (int length = 10; length < bytes.length; length++) {
            final byte[] truncated = Arrays.copyOf(bytes, length);
            final AvroDecodingException error = assertThrows(AvroDecodingException.class,
                () -> AvroCodec.of(AckEvent.class).decode(truncated), "cut to " + length + " bytes");
            assertTrue(error.getMessage().startsWith("not a readable AckEvent record: "), error.getMessage());
        }
    }

    @Test
    void rejectsBytesLeftOverAfterTheRecord() {
        // given
        final byte[] bytes = AvroCodec.of(BindingKey.class).encode(Events.fullKey());
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        // then
        assertDecodingFails(BindingKey.class, longer, "bytes left over after the record");
    }

    @Test
    void refusesAStringLengthLargerThanTheRecordInsteadOfAllocatingIt() throws IOException {
        // given: a BindingKey whose name claims a gigabyte
        final byte[] bytes = withBody(BindingKey.class, encoder -> {
            encoder.writeLong(1L << 30);
            encoder.writeFixed(new byte[] {'a', 'b'});
        });

        // then
        assertDecodingFails(BindingKey.class, bytes, "a string claims 1073741824 bytes");
    }

    @Test
    void refusesAnArrayCountLargerThanTheRecordInsteadOfAllocatingIt() throws IOException {
        // given: a CommitEvent whose offsets claim a billion entries
        final byte[] bytes = withBody(CommitEvent.class, encoder -> {
            encoder.writeString("c1");
            encoder.writeLong(0L);
            encoder.writeString("sluice");
            encoder.writeString("sluice-1");
            encoder.writeLong(1_000_000_000L);
        });

        // then
        assertDecodingFails(CommitEvent.class, bytes, "a block claims 1000000000 items");
    }

    @Test
    void turnsRandomBodiesIntoDecodingErrorsOnly() {
        // given: valid headers followed by random bytes
        final Random random = new Random(20_251_123L);
        final AvroCodec<AckEvent> codec = AvroCodec.of(AckEvent.class);
        final byte[] header = Arrays.copyOf(codec.encode(Events.fullAck()), 10);

        // then: every body either decodes or fails with a message, never anything else
        for (int i = 0; i < 5_000; i++) {
            final byte[] body = new byte[random.nextInt(120)];
            random.nextBytes(body);
            final byte[] bytes = concat(header, body);
            try {
                codec.decode(bytes);
            } catch (final AvroDecodingException expected) {
                assertTrue(expected.getMessage().startsWith("not a readable AckEvent record: "), expected.getMessage());
            }
        }
    }

    @Test
    void serdeKeepsTombstonesAndReportsBadBytesAsSerializationErrors() {
        // given
        try (AvroSerde<BindingValue> serde = AvroSerde.of(BindingValue.class)) {
            final BindingValue value = Events.fullValue();

            // when
            final byte[] bytes = serde.serializer().serialize("_sluice_bindings", value);

            // then
            assertEquals(value, serde.deserializer().deserialize("_sluice_bindings", bytes));
            assertNull(serde.serializer().serialize("_sluice_bindings", null));
            assertNull(serde.deserializer().deserialize("_sluice_bindings", null));
            final SerializationException error = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("_sluice_bindings", new byte[] {1, 2, 3}));
            assertTrue(error.getCause() instanceof AvroDecodingException);
            assertTrue(error.getMessage().startsWith("topic _sluice_bindings: not Avro single-object encoded"), error.getMessage());
        }
    }

    private static void assertDecodingFails(final Class<? extends SpecificRecord> type, final byte[] bytes, final String expected) {
        final AvroDecodingException error = assertThrows(AvroDecodingException.class, () -> AvroCodec.of(type).decode(bytes));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    interface Body {
        void write(BinaryEncoder encoder) throws IOException;
    }

    private static byte[] withBody(final Class<? extends SpecificRecord> type, final Body body) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.write(encoder);
        encoder.flush();
        final byte[] header = AvroCodec.header(SchemaCatalog.fingerprint(AvroCodec.of(type).schema()));
        return concat(header, out.toByteArray());
    }

    private static byte[] concat(final byte[] first, final byte[] second) {
        final byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static AvroCodec<SpecificRecord> codecFor(final SpecificRecord record) {
        return (AvroCodec<SpecificRecord>) AvroCodec.of(record.getClass());
    }
}

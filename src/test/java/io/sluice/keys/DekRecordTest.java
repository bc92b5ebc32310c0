package io.sluice.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DekRecordTest {

    private static final String OLD = KekTest.newKey();
    private static final String NEW = KekTest.newKey();
    private static final Kek OLD_ONLY = Kek.fromEnv("K", Map.of("K", OLD)::get);
    private static final Kek ROTATED = Kek.fromEnv("K", Map.of("K", NEW + "\n" + OLD)::get);
    private static final Kek NEW_ONLY = Kek.fromEnv("K", Map.of("K", NEW)::get);

    @Test
    void aNewKeyIsWrappedWithTheNewestKekAndUnwrapsToTheSameKey() {
        // when
        final DekRecord.Created created = DekRecord.create("pii", DekScope.USER, "alice", 1, OLD_ONLY, 1_000L);

        // then
        final DekRecord record = created.record();
        assertTrue(record.dekId().matches("pii:[0-9a-f]{16}"), record.dekId());
        assertEquals(OLD_ONLY.newest().id(), record.kekId());
        assertArrayEquals(created.key().getEncoded(), record.unwrap(OLD_ONLY).getEncoded());
        assertFalse(new String(record.toJson(), StandardCharsets.UTF_8)
            .contains(Base64.getEncoder().encodeToString(created.key().getEncoded())), "the key topic never holds the key");
    }

    @Test
    void theKeyTopicFormatRoundTripsAndRefusesWhatIsNotAKey() {
        // given
        final DekRecord record = DekRecord.create("pii", DekScope.VCLUSTER, "payments", 3, OLD_ONLY, 42L).record();

        // then
        assertEquals(record, DekRecord.fromJson(record.recordKey(), record.toJson()));
        assertEquals("key record 'x' is not JSON",
            assertThrows(KeyringException.class, () -> DekRecord.fromJson("x".getBytes(), "{".getBytes())).getMessage());
        assertEquals("key record 'other:0000000000000000' has the DEK id '" + record.dekId()
                + "'; the record key must be the DEK id, <keyring>:<16 hex digits>",
            assertThrows(KeyringException.class, () -> DekRecord.fromJson("other:0000000000000000".getBytes(),
                record.toJson())).getMessage());
    }

    @Test
    void aKekRotationRewrapsTheSameKeyAndTheOldKekCanThenGo() {
        // given
        final DekRecord.Created created = DekRecord.create("pii", DekScope.NONE, "", 1, OLD_ONLY, 1L);

        // when: the new KEK is listed first, then the key is rewrapped
        final DekRecord rewrapped = created.record().rewrapped(ROTATED);

        // then
        assertEquals(NEW_ONLY.newest().id(), rewrapped.kekId());
        assertEquals(created.record().dekId(), rewrapped.dekId());
        assertArrayEquals(created.key().getEncoded(), rewrapped.unwrap(NEW_ONLY).getEncoded());
        assertEquals("data key '" + rewrapped.dekId() + "' is wrapped with KEK " + created.record().kekId()
                + ", which keyring 'pii' does not hold (its KEKs: " + NEW_ONLY.ids() + ")",
            assertThrows(KeyringException.class, () -> created.record().unwrap(NEW_ONLY)).getMessage());
    }

    @Test
    void aKeyRecordWhoseMetadataWasChangedDoesNotUnwrap() {
        // given: alice's key, relabelled as bob's
        final DekRecord alice = DekRecord.create("pii", DekScope.USER, "alice", 1, OLD_ONLY, 1L).record();
        final DekRecord relabelled = new DekRecord(alice.dekId(), "pii", DekScope.USER, "bob", 1, 1L, alice.kekId(),
            alice.wrapped());

        // then
        assertEquals("data key '" + alice.dekId() + "' does not unwrap under KEK " + alice.kekId()
            + " (the key record was altered)", assertThrows(KeyringException.class, () -> relabelled.unwrap(OLD_ONLY))
            .getMessage());
        assertNotEquals(alice, relabelled);
    }
}

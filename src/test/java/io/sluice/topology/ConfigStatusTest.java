package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.bindings.ConfigRecord;
import io.sluice.common.Problem;

/** The latest invalid record of each identity, as the console lists it: kept until its key is settled, bounded. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigStatusTest {

    @Test
    void keepsTheLatestInvalidRecordPerKeyUntilAValidRecordOrTombstoneFollows() {
        // given
        final ConfigStatus status = new ConfigStatus();
        final byte[] key = "k1".getBytes(StandardCharsets.UTF_8);

        // when: two invalid records of one key, one of another
        status.invalid(key, invalid("first"));
        status.invalid(key.clone(), invalid("second"));
        status.invalid("k2".getBytes(StandardCharsets.UTF_8), invalid("other"));

        // then
        assertEquals(3, status.invalidCount());
        assertEquals(2, status.invalidRecords().size());
        assertEquals("value: second", status.invalidRecords().get(ByteBuffer.wrap(key)).reason());

        // when: a valid record (or a tombstone) of that key
        status.settled(key);

        // then
        assertEquals(1, status.invalidRecords().size());
        assertTrue(status.invalidRecords().containsKey(ByteBuffer.wrap("k2".getBytes(StandardCharsets.UTF_8))));
        assertEquals(3, status.invalidCount(), "the counter counts records, not identities");
    }

    @Test
    void keepsAtMostItsBoundOfIdentitiesAndCountsTheRest() {
        final ConfigStatus status = new ConfigStatus();
        for (int i = 0; i < ConfigStatus.MAX_INVALID_KEPT + 500; i++) {
            status.invalid(("k" + i).getBytes(StandardCharsets.UTF_8), invalid("bad " + i));
        }
        assertEquals(ConfigStatus.MAX_INVALID_KEPT, status.invalidRecords().size());
        assertEquals(ConfigStatus.MAX_INVALID_KEPT + 500, status.invalidCount());
    }

    private static ConfigRecord.Invalid invalid(final String message) {
        return new ConfigRecord.Invalid(null, List.of(new Problem("config record", "value", message)));
    }
}

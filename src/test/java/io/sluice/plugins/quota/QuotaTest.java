package io.sluice.plugins.quota;

import static io.sluice.plugins.support.TestRecords.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.sluice.chain.ChainRecord;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

class QuotaTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final QuotaFactory factory = new QuotaFactory(nanos::get);

    private Interceptor create(final String config) {
        assertEquals(List.of(), factory.validate(json(config)));
        return factory.create(new InterceptorSetup("quota", null, null, null, json(config)));
    }

    private static ChainRecord from(final String vcluster, final String user, final int valueBytes) {
        final ChainRecord record = TestRecords.record(new RecordContext(vcluster, user, Set.of(), "t", 0, 0L, 0L), new byte[valueBytes]);
        record.key(null);
        return record;
    }

    /** Sends n records of that user; returns the reason of the last rejection, or null when all passed. */
    private static String send(final Interceptor quota, final int n, final String user, final int valueBytes) {
        String reason = null;
        for (int i = 0; i < n; i++) {
            final ChainRecord record = from("default", user, valueBytes);
            quota.onSend(record);
            reason = record.isRejected() ? record.rejectionReason() : reason;
        }
        return reason;
    }

    @Test
    void passesRecordsUnderTheRateAndRejectsOverItWithTheRate() {
        // given
        final Interceptor quota = create("{'recordsPerSecond': 5}");

        // when
        final String underQuota = send(quota, 5, "alice", 10);
        final String overQuota = send(quota, 1, "alice", 10);

        // then
        assertNull(underQuota);
        assertEquals("user 'alice' is over its quota of 5 records/s", overQuota);
    }

    @Test
    void refillsWithTime() {
        // given
        final Interceptor quota = create("{'recordsPerSecond': 10}");
        send(quota, 10, "alice", 1);

        // when: 100 ms give back one record
        nanos.addAndGet(100 * MS);
        final String afterOneTenth = send(quota, 1, "alice", 1);
        final String beyond = send(quota, 1, "alice", 1);
        nanos.addAndGet(10_000 * MS);
        final String afterLongIdle = send(quota, 10, "alice", 1);
        final String burstCapped = send(quota, 1, "alice", 1);

        // then: an idle user bursts up to one second's worth, no more
        assertNull(afterOneTenth);
        assertEquals("user 'alice' is over its quota of 10 records/s", beyond);
        assertNull(afterLongIdle);
        assertEquals("user 'alice' is over its quota of 10 records/s", burstCapped);
    }

    @Test
    void keepsOneQuotaPerUser() {
        // given
        final Interceptor quota = create("{'recordsPerSecond': 2}");

        // when
        final String alice = send(quota, 3, "alice", 1);
        final String bob = send(quota, 2, "bob", 1);
        final String anonymous = send(quota, 3, null, 1);

        // then
        assertEquals("user 'alice' is over its quota of 2 records/s", alice);
        assertNull(bob);
        assertEquals("the anonymous user is over its quota of 2 records/s", anonymous);
    }

    @Test
    void limitsBytesPerVcluster() {
        // given
        final Interceptor quota = create("{'bytesPerSecond': 1000, 'per': 'vcluster'}");
        final ChainRecord first = from("payments", "alice", 600);
        final ChainRecord second = from("payments", "bob", 600);
        final ChainRecord elsewhere = from("logistics", "bob", 600);
        final ChainRecord huge = from("logistics", "bob", 1001);

        // when
        List.of(first, second, elsewhere, huge).forEach(quota::onSend);

        // then: a rejected record takes nothing from the bucket
        assertFalse(first.isRejected());
        assertEquals("vcluster 'payments' is over its quota of 1000 bytes/s", second.rejectionReason());
        assertFalse(elsewhere.isRejected());
        assertEquals("vcluster 'logistics' sent a record of 1001 bytes, larger than its whole quota of 1000 bytes/s",
            huge.rejectionReason());
        nanos.addAndGet(200 * MS);
        final ChainRecord again = from("payments", "alice", 600);
        quota.onSend(again);
        assertFalse(again.isRejected());
    }

    @Test
    void takesARecordFromBothBucketsOrFromNeither() {
        // given
        final Interceptor quota = create("{'recordsPerSecond': 100, 'bytesPerSecond': 100}");

        // when: the byte quota refuses; the record quota must not have been charged
        send(quota, 1, "alice", 100);
        final String refused = send(quota, 50, "alice", 10);
        nanos.addAndGet(1000 * MS);
        final String after = send(quota, 10, "alice", 10);

        // then
        assertEquals("user 'alice' is over its quota of 100 bytes/s", refused);
        assertNull(after);
    }

    @Test
    void reportsEveryConfigProblem() {
        // then
        assertEquals(List.of("recordsPerSecond"), fields("{}"));
        assertEquals(List.of("recordsPerSecond", "bytesPerSecond", "per"),
            fields("{'recordsPerSecond': 0, 'bytesPerSecond': -5, 'per': 'group'}"));
        assertEquals(List.of("recordsPerSecond", "rate"), fields("{'recordsPerSecond': 'ten', 'rate': 1}"));
    }

    private List<String> fields(final String config) {
        return factory.validate(json(config)).stream().map(ConfigProblem::field).toList();
    }
}

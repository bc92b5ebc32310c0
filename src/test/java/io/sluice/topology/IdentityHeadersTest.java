package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class IdentityHeadersTest {

    @Test
    void groupsAreSplitTrimmedAndDeduplicatedAndIterateSorted() {
        final IdentityHeaders.Identity identity = IdentityHeaders.read(headers("alice", " ops, analysts,ops ,, "), false);

        assertEquals("alice", identity.username());
        assertEquals(Set.of("ops", "analysts"), identity.groups());
        assertEquals(List.of("analysts", "ops"), List.copyOf(identity.groups()), "iterated in sorted order");
        assertNull(identity.problem());
    }

    @Test
    void aKnownIdentityIsTheSameObjectAndFollowsItsHeadersBytes() {
        final RecordHeaders first = headers("carol", "ops");
        final IdentityHeaders.Identity identity = IdentityHeaders.read(first, false);
        assertSame(identity, IdentityHeaders.read(headers("carol", "ops"), false), "the same bytes, the cached identity");

        // The cache owns copies of the bytes: a record whose header array changes afterwards does not change it.
        first.lastHeader(IdentityHeaders.USER).value()[0] = 'k';
        assertEquals("karol", IdentityHeaders.read(first, false).username());
        assertEquals("carol", IdentityHeaders.read(headers("carol", "ops"), false).username());
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void theCacheIsBoundedAndKeepsAFrequentIdentityThroughAFloodOfNewOnes() {
        // given: a regular sender
        final IdentityHeaders.Identity regular = IdentityHeaders.read(headers("regular", "ops"), false);

        // when: one and a half times the bound of one-off identities arrive, the regular one among them
        final int flood = IdentityHeaders.MAX_CACHED_IDENTITIES + IdentityHeaders.MAX_CACHED_IDENTITIES / 2;
        for (int i = 0; i < flood; i++) {
            IdentityHeaders.read(headers("one-off-" + i, "ops"), false);
            if (i % 16 == 0) {
                assertSame(regular, IdentityHeaders.read(headers("regular", "ops"), false));
            }
        }

        // then: the cache stayed within its bound, and the regular identity is still the cached one
        assertTrue(IdentityHeaders.cachedIdentities() <= IdentityHeaders.MAX_CACHED_IDENTITIES,
            () -> IdentityHeaders.cachedIdentities() + " cached");
        assertSame(regular, IdentityHeaders.read(headers("regular", "ops"), false));
    }

    @Test
    void unreadableIdentitiesStayUnreadable() {
        final RecordHeaders notUtf8 = new RecordHeaders();
        notUtf8.add(IdentityHeaders.USER, new byte[] {(byte) 0xC3, (byte) 0x28});

        for (int i = 0; i < 2; i++) {
            final IdentityHeaders.Identity identity = IdentityHeaders.read(notUtf8, false);
            assertEquals("sluice-user is not valid UTF-8", identity.problem());
            assertNull(identity.username());
        }
    }

    @Test
    void theVclusterHeaderCountsOnlyWhereTheRouteTrustsIt() {
        final RecordHeaders headers = headers("dave", null);
        headers.add(IdentityHeaders.VCLUSTER, "payments".getBytes(StandardCharsets.UTF_8));

        assertNull(IdentityHeaders.read(headers, false).vcluster());
        assertEquals("payments", IdentityHeaders.read(headers, true).vcluster());
    }

    private static RecordHeaders headers(final String user, final String groups) {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(IdentityHeaders.USER, user.getBytes(StandardCharsets.UTF_8));
        if (groups != null) {
            headers.add(IdentityHeaders.GROUPS, groups.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }
}

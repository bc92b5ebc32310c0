package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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

package io.sluice.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void missingVclusterAndGroupsDefault() {
        // when
        final Context context = new Context(null, null, null, null);

        // then
        assertEquals(new Context("default", null, Set.of(), null), context);
        assertEquals(Set.of(), context.groups());
    }

    @Test
    void groupsAreASetEqualToAnyOtherWithTheSameElements() {
        // given
        final Set<String> plain = Set.of("ops", "analysts", "admins");

        // when
        final Set<String> groups = new Context("payments", "alice", new HashSet<>(plain), null).groups();

        // then
        assertEquals(plain, groups);
        assertEquals(groups, plain);
        assertEquals(plain.hashCode(), groups.hashCode());
        assertEquals(new TreeSet<>(plain), groups);
        assertEquals(3, groups.size());
        assertTrue(groups.contains("ops"));
        assertFalse(groups.contains("Ops"));
        assertFalse(groups.contains(null));
    }

    @Test
    void groupsIterateInSortedOrder() {
        // when
        final Context context = new Context("payments", "alice", new HashSet<>(List.of("b", "c", "a", "B")), null);

        // then
        assertEquals(List.of("B", "a", "b", "c"), new ArrayList<>(context.groups()));
    }

    @Test
    void groupsAreImmutable() {
        // given
        final Set<String> groups = new Context("payments", "alice", Set.of("ops"), null).groups();

        // then
        assertThrows(UnsupportedOperationException.class, () -> groups.add("admins"));
        assertThrows(UnsupportedOperationException.class, () -> groups.remove("ops"));
        assertThrows(UnsupportedOperationException.class, groups::clear);
    }

    @Test
    void aNullGroupIsRejected() {
        // given
        final Set<String> withNull = new HashSet<>(Arrays.asList("ops", null));

        // then
        assertThrows(NullPointerException.class, () -> new Context("payments", "alice", withNull, null));
    }

    @Test
    void contextsAreEqualWhateverTheirGroupsImplementation() {
        // given
        final Context hashed = new Context("payments", "alice", new HashSet<>(List.of("x", "y")), "orders.in");
        final Context sorted = new Context("payments", "alice", new TreeSet<>(List.of("y", "x")), "orders.in");

        // then
        assertEquals(hashed, sorted);
        assertEquals(hashed.hashCode(), sorted.hashCode());
    }
}

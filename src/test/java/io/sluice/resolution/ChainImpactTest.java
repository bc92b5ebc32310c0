package io.sluice.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;
import io.sluice.spi.OnError;

/** Which contexts a change to the bindings affects, and what counts as a changed chain. */
@Timeout(30)
class ChainImpactTest {

    private static Binding binding(final String name, final BindingScope scope, final int priority, final String topics,
                                   final OnError onError, final String config) throws Exception {
        return new Binding(new BindingId(name, scope), "header-injection", priority,
            topics == null ? null : Pattern.compile(topics), onError, Json.parse(config));
    }

    private static IndexedResolver resolver(final Binding... bindings) {
        final IndexedResolver resolver = new IndexedResolver(0);
        resolver.load(List.of(bindings));
        return resolver;
    }

    @Test
    void aChainChangesWhenWhatRunsChangesAndNotWhenOnlyAnUnusedRegexDoes() throws Exception {
        // given
        final Binding base = binding("a", Fixtures.global(), 1, "orders\\..*", null, "{\"x\": 1}");
        final Context orders = new Context("v", "u", Set.of(), "orders.in");

        // then: another regex that still matches the topic runs the same interceptor
        assertTrue(ChainImpact.sameChain(resolver(base).resolve(orders),
            resolver(binding("a", Fixtures.global(), 1, "orders\\.i.", null, "{\"x\": 1.0}")).resolve(orders)));
        // and config, onError and priority each change what runs
        assertFalse(ChainImpact.sameChain(resolver(base).resolve(orders),
            resolver(binding("a", Fixtures.global(), 1, "orders\\..*", null, "{\"x\": 2}")).resolve(orders)));
        assertFalse(ChainImpact.sameChain(resolver(base).resolve(orders),
            resolver(binding("a", Fixtures.global(), 1, "orders\\..*", OnError.REJECT, "{\"x\": 1}")).resolve(orders)));
        assertFalse(ChainImpact.sameChain(resolver(base).resolve(orders),
            resolver(binding("a", Fixtures.global(), 2, "orders\\..*", null, "{\"x\": 1}")).resolve(orders)));
    }

    @Test
    void affectedContextsAreThoseWithAnotherChainMostRecordsFirst() throws Exception {
        // given: an override for the group analysts appears
        final Binding global = binding("tag", Fixtures.global(), 5, null, null, "{}");
        final Binding analysts = binding("tag", Fixtures.group("analysts"), 5, null, null, "{\"team\": \"a\"}");
        final Context alice = new Context("v", "alice", Set.of("analysts"), "t");
        final Context bob = new Context("v", "bob", Set.of("ops"), "t");
        final Context carol = new Context("v", "carol", Set.of("analysts", "ops"), "t");
        final Map<Context, Long> records = new LinkedHashMap<>();
        records.put(alice, 2L);
        records.put(bob, 10L);
        records.put(carol, 7L);

        // when
        final List<ChainImpact.Affected> affected = ChainImpact.affected(records, resolver(global),
            resolver(global, analysts));

        // then
        assertEquals(List.of(carol, alice), affected.stream().map(ChainImpact.Affected::context).toList());
        assertEquals(7L, affected.get(0).records());
        assertEquals(List.of(global), affected.get(0).before().interceptors());
        assertEquals(List.of(analysts), affected.get(0).after().interceptors());
    }
}

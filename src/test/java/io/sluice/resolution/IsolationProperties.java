package io.sluice.resolution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Tenant isolation, whatever the bindings: a resolved chain never holds a binding scoped to another vcluster, to a
 * group the context is not in, or to another user (the anonymous user included). Checked on the indexed, cached
 * resolver (each context resolved twice, so the cache answers too) and on {@link Resolution} itself.
 */
class IsolationProperties {

    private static final List<String> VCLUSTERS = List.of("default", "blue", "red");
    private static final List<String> GROUPS = List.of("g1", "g2", "g3", "G1");
    private static final List<String> USERS = List.of("alice", "bob", "Alice");

    @Property(tries = 500)
    void aChainNeverCrossesATenantBoundary(@ForAll("bindings") final List<Binding> bindings,
                                           @ForAll("contexts") final List<Context> contexts) {
        // given
        final IndexedResolver resolver = new IndexedResolver();
        resolver.load(bindings);

        for (final Context context : contexts) {
            // when
            final List<Chain> chains = List.of(resolver.resolve(context), resolver.resolve(context),
                Resolution.resolve(bindings, context));

            // then
            for (final Chain chain : chains) {
                for (final Binding binding : chain.interceptors()) {
                    final BindingScope scope = binding.id().scope();
                    assertTrue(scope.vcluster() == null || scope.vcluster().equals(context.vcluster()),
                        () -> "another vcluster's binding " + binding.id() + " for " + context);
                    assertTrue(scope.group() == null || context.groups().contains(scope.group()),
                        () -> "a binding of a group the context lacks " + binding.id() + " for " + context);
                    assertTrue(scope.username() == null || scope.username().equals(context.username()),
                        () -> "another user's binding " + binding.id() + " for " + context);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Binding>> bindings() {
        final Arbitrary<String> vcluster = Arbitraries.of(VCLUSTERS).injectNull(0.4);
        final Arbitrary<String> group = Arbitraries.of(GROUPS).injectNull(0.5);
        final Arbitrary<String> user = Arbitraries.of(USERS).injectNull(0.5);
        final Arbitrary<Binding> binding = Combinators.combine(Arbitraries.of("a", "b", "c", "d"), vcluster, group, user,
            Arbitraries.integers().between(0, 3)).as((name, v, g, u, priority) -> new Binding(
                new BindingId(name, new BindingScope(v, g, g != null ? null : u)), "header-removal", priority, null,
                null, Json.object()));
        // one binding per identity, as on the config topic
        return binding.list().ofMaxSize(40).map(list -> {
            final Map<BindingId, Binding> byId = new LinkedHashMap<>();
            list.forEach(b -> byId.put(b.id(), b));
            return new ArrayList<>(byId.values());
        });
    }

    @Provide
    Arbitrary<List<Context>> contexts() {
        final Arbitrary<Context> context = Combinators.combine(Arbitraries.of(VCLUSTERS),
            Arbitraries.of(USERS).injectNull(0.3), Arbitraries.of(GROUPS).set().ofMaxSize(3),
            Arbitraries.of("orders.in", "pay.in").injectNull(0.3))
            .as((vcluster, user, groups, topic) -> new Context(vcluster, user, Set.copyOf(groups), topic));
        return context.list().ofMinSize(1).ofMaxSize(10);
    }
}

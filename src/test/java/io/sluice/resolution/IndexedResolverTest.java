package io.sluice.resolution;

import static io.sluice.resolution.Fixtures.binding;
import static io.sluice.resolution.Fixtures.chain;
import static io.sluice.resolution.Fixtures.context;
import static io.sluice.resolution.Fixtures.global;
import static io.sluice.resolution.Fixtures.group;
import static io.sluice.resolution.Fixtures.onTopic;
import static io.sluice.resolution.Fixtures.username;
import static io.sluice.resolution.Fixtures.vcluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;

class IndexedResolverTest {

    private static final Context ALICE = context("payments", "alice", "analysts");
    private static final Context BOB = context("payments", "bob", "ops");
    private static final Context CAROL = context("orders", "carol", "analysts");

    private final Binding trace = binding("trace", global(), 10);
    private final Binding maskBob = binding("mask", username("bob"), 5);

    @Test
    void putAddsAnInterceptorToTheChain() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        resolver.resolve(ALICE);

        // when
        final Optional<Binding> replaced = resolver.put(binding("mask", vcluster("payments"), 1));

        // then
        assertEquals(Optional.empty(), replaced);
        assertEquals(chain(binding("mask", vcluster("payments"), 1), trace), resolver.resolve(ALICE));
    }

    @Test
    void contextsThatResolveToTheSameBindingsShareOneChain() {
        // given: alice and bob of one vcluster, with no binding of their own; carol elsewhere
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, binding("mask", vcluster("payments"), 1)));

        // when
        final Chain alices = resolver.resolve(ALICE);
        final Chain bobs = resolver.resolve(BOB);
        final Chain carols = resolver.resolve(CAROL);

        // then: one object for equal chains (what the audit keeps per chain, it keeps once)
        assertTrue(alices == bobs, "alice's and bob's chains are one object");
        assertFalse(alices.equals(carols), "carol's chain differs");
        resolver.put(maskBob);
        assertTrue(resolver.resolve(BOB).interceptors().contains(maskBob), "a change still reaches bob");
        assertTrue(resolver.resolve(ALICE) == alices, "alice's cached chain stays");
    }

    @Test
    void putWithTheSameIdReplacesTheBinding() {
        // given
        final Binding mask = binding("mask", vcluster("payments"), 1);
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, mask));
        resolver.resolve(ALICE);
        final Binding maskLater = binding("mask", vcluster("payments"), 20, null, "replaced");

        // when
        final Optional<Binding> replaced = resolver.put(maskLater);

        // then
        assertEquals(Optional.of(mask), replaced);
        assertEquals(chain(trace, maskLater), resolver.resolve(ALICE));
        assertEquals(2, resolver.stats().bindings());
    }

    @Test
    void onlyTheVersionOfABindingNowInTheIndexIsInForce() {
        // given
        final Binding mask = binding("mask", vcluster("payments"), 1);
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, mask));
        assertTrue(resolver.inForce(mask));
        assertTrue(resolver.inForce(binding("mask", vcluster("payments"), 1)), "an equal version counts");

        // when: replaced, then deleted
        final Binding maskLater = binding("mask", vcluster("payments"), 20, null, "replaced");
        resolver.put(maskLater);
        final boolean oldAfterReplace = resolver.inForce(mask);
        resolver.remove(maskLater.id());

        // then
        assertFalse(oldAfterReplace);
        assertFalse(resolver.inForce(maskLater));
        assertFalse(resolver.inForce(maskBob), "never put");
        assertTrue(resolver.inForce(trace));
    }

    @Test
    void removingAnOverrideFallsBackToTheLessPreciseBinding() {
        // given
        final Binding maskGlobal = binding("mask", global(), 3);
        final Binding maskAnalysts = binding("mask", group("analysts"), 4);
        final IndexedResolver resolver = Fixtures.indexed(List.of(maskGlobal, maskAnalysts));
        assertEquals(chain(maskAnalysts), resolver.resolve(ALICE));

        // when
        final Optional<Binding> removed = resolver.remove(maskAnalysts.id());

        // then
        assertEquals(Optional.of(maskAnalysts), removed);
        assertEquals(chain(maskGlobal), resolver.resolve(ALICE));
        assertEquals(1, resolver.stats().bindings());
    }

    @Test
    void removingAnUnknownIdChangesNothing() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        resolver.resolve(ALICE);

        // when
        final Optional<Binding> removed = resolver.remove(new BindingId("trace", vcluster("payments")));

        // then
        assertEquals(Optional.empty(), removed);
        assertEquals(new ResolverStats(0, 1, 0, 0, 1, 1), resolver.stats());
    }

    @Test
    void loadReplacesEveryBindingAndClearsTheCache() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, maskBob));
        resolver.resolve(ALICE);
        resolver.resolve(BOB);
        final Binding audit = binding("audit", group("ops"), 2);

        // when
        resolver.load(List.of(audit));

        // then
        assertEquals(0, resolver.stats().cachedContexts());
        assertEquals(chain(), resolver.resolve(ALICE));
        assertEquals(chain(audit), resolver.resolve(BOB));
        assertEquals(1, resolver.stats().bindings());
    }

    @Test
    void aChangeForBobLeavesAlicesCachedChainInPlace() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, maskBob));
        resolver.resolve(ALICE);
        resolver.resolve(BOB);
        final Binding maskBobLater = binding("mask", username("bob"), 50);

        // when
        resolver.put(maskBobLater);
        final Chain alice = resolver.resolve(ALICE);
        final Chain bob = resolver.resolve(BOB);

        // then: alice was a hit, bob a miss with the new binding
        assertEquals(chain(trace), alice);
        assertEquals(chain(trace, maskBobLater), bob);
        assertEquals(new ResolverStats(1, 3, 0, 1, 2, 2), resolver.stats());
    }

    @Test
    void aGroupChangeInvalidatesOnlyContextsWithThatGroup() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        List.of(ALICE, BOB, CAROL).forEach(resolver::resolve);

        // when
        resolver.put(binding("mask", group("analysts"), 1));

        // then: alice and carol are in analysts, bob is not
        assertEquals(2, resolver.stats().invalidations());
        assertEquals(1, resolver.stats().cachedContexts());
    }

    @Test
    void aVclusterQualifiedGroupChangeInvalidatesOnlyThatVclustersContexts() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        List.of(ALICE, BOB, CAROL).forEach(resolver::resolve);

        // when
        resolver.put(binding("mask", group("orders", "analysts"), 1));

        // then: only carol is in analysts in vcluster orders
        assertEquals(1, resolver.stats().invalidations());
        assertEquals(chain(binding("mask", group("orders", "analysts"), 1), trace), resolver.resolve(CAROL));
        assertEquals(chain(trace), resolver.resolve(ALICE));
        assertEquals(1, resolver.stats().hits());
    }

    @Test
    void aVclusterChangeInvalidatesOnlyThatVclustersContexts() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        List.of(ALICE, BOB, CAROL).forEach(resolver::resolve);

        // when
        resolver.remove(binding("mask", vcluster("payments"), 1).id());
        resolver.put(binding("mask", vcluster("payments"), 1));

        // then: the remove of an absent binding invalidated nothing; the put alice and bob
        assertEquals(2, resolver.stats().invalidations());
        assertEquals(1, resolver.stats().cachedContexts());
    }

    @Test
    void aGlobalChangeInvalidatesEveryContext() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(maskBob));
        List.of(ALICE, BOB, CAROL).forEach(resolver::resolve);

        // when
        resolver.put(trace);

        // then
        assertEquals(3, resolver.stats().invalidations());
        assertEquals(0, resolver.stats().cachedContexts());
        assertEquals(chain(trace), resolver.resolve(CAROL));
    }

    @Test
    void aChangeFilteredOutByTopicStillInvalidatesTheContextsItsScopeMatches() {
        // given: a topic-restricted override shadows the global binding even where its regex fails
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        final Context alicePayments = onTopic(ALICE, "payments.in");
        assertEquals(chain(trace), resolver.resolve(alicePayments));

        // when
        resolver.put(binding("trace", username("alice"), 1, "orders\\..*"));

        // then
        assertEquals(chain(), resolver.resolve(alicePayments));
    }

    @Test
    void republishingAnIdenticalBindingInvalidatesNothing() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, maskBob));
        resolver.resolve(BOB);

        // when
        resolver.put(binding("mask", username("bob"), 5));

        // then
        assertEquals(0, resolver.stats().invalidations());
        assertEquals(1, resolver.stats().cachedContexts());
    }

    @Test
    void theCacheStaysWithinItsBoundAndResultsStayRight() {
        // given
        final IndexedResolver resolver = new IndexedResolver(8);
        resolver.put(trace);
        resolver.put(binding("mask", username("user-7"), 1));

        // when
        for (int i = 0; i < 100; i++) {
            resolver.resolve(context("payments", "user-" + i));
        }

        // then
        final ResolverStats stats = resolver.stats();
        assertTrue(stats.cachedContexts() <= 8, stats::toString);
        assertEquals(100 - stats.cachedContexts(), stats.evictions(), stats::toString);
        assertEquals(chain(binding("mask", username("user-7"), 1), trace), resolver.resolve(context("payments", "user-7")));
    }

    @Test
    void recentlyHitContextsSurviveEviction() {
        // given: a bound of 8, a hot context hit between every cold one
        final IndexedResolver resolver = new IndexedResolver(8);
        resolver.put(trace);
        final Context hot = context("payments", "hot");

        // when
        for (int i = 0; i < 100; i++) {
            resolver.resolve(hot);
            resolver.resolve(context("payments", "cold-" + i));
        }

        // then: the hot context missed once only
        assertEquals(101, resolver.stats().misses());
        assertEquals(99, resolver.stats().hits());
    }

    @Test
    void aCacheBoundOfZeroResolvesEveryTime() {
        // given
        final IndexedResolver resolver = new IndexedResolver(0);
        resolver.put(trace);

        // when
        resolver.resolve(ALICE);
        final Chain chain = resolver.resolve(ALICE);

        // then
        assertEquals(chain(trace), chain);
        assertEquals(new ResolverStats(0, 2, 0, 0, 0, 1), resolver.stats());
    }

    @Test
    void equalContextsShareACacheEntry() {
        // given
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace));
        resolver.resolve(new Context(null, "alice", Set.of("a", "b"), "t"));

        // when
        resolver.resolve(new Context("default", new String("alice"), new TreeSet<>(List.of("b", "a")), "t"));

        // then
        assertEquals(1, resolver.stats().hits());
    }

    @Test
    void anInvalidScopeWithGroupAndUsernameMatchesOnlyWhenBothDo() {
        // given: validation never builds such a scope; should one arrive, every field it sets must match
        final Binding both = binding("mask", new BindingScope(null, "analysts", "alice"), 1);
        final IndexedResolver resolver = Fixtures.indexed(List.of(trace, both));

        // then
        assertEquals(chain(both, trace), resolver.resolve(ALICE));
        assertEquals(chain(trace), resolver.resolve(context("payments", "alice", "ops")));
        assertEquals(chain(trace), resolver.resolve(context("payments", "bob", "analysts")));
    }

    @Test
    void topicRegexesWithFlagsAreNotConfusedWithTheSameTextWithout() {
        // given: the same regex text twice, once compiled case-insensitive
        final Binding plain = new Binding(new BindingId("plain", global()), "header-injection", 1,
            Pattern.compile("orders"), null, Json.object());
        final Binding insensitive = new Binding(new BindingId("insensitive", global()), "header-injection", 2,
            Pattern.compile("orders", Pattern.CASE_INSENSITIVE), null, Json.object());
        final IndexedResolver resolver = Fixtures.indexed(List.of(plain, insensitive));

        // when
        final Chain lower = resolver.resolve(onTopic(ALICE, "orders"));
        final Chain upper = resolver.resolve(onTopic(ALICE, "ORDERS"));

        // then
        assertEquals(chain(plain, insensitive), lower);
        assertEquals(chain(insensitive), upper);
    }

    @Test
    void largeBucketsReplaceAndRemoveByName() {
        // given: 40 names in one scope, past the size where a bucket stops scanning and keeps positions
        final IndexedResolver resolver = new IndexedResolver();
        final ReferenceResolver reference = new ReferenceResolver();
        for (int i = 0; i < 40; i++) {
            final Binding binding = binding("i" + i, vcluster("payments"), i);
            resolver.put(binding);
            reference.put(binding);
        }

        // when: every third replaced, every fourth removed
        for (int i = 0; i < 40; i += 3) {
            final Binding replacement = binding("i" + i, vcluster("payments"), 100 - i, null, "replaced");
            resolver.put(replacement);
            reference.put(replacement);
        }
        for (int i = 0; i < 40; i += 4) {
            resolver.remove(new BindingId("i" + i, vcluster("payments")));
            reference.remove(new BindingId("i" + i, vcluster("payments")));
        }

        // then
        assertEquals(reference.resolve(ALICE), resolver.resolve(ALICE));
        assertEquals(30, resolver.resolve(ALICE).interceptors().size());
        assertEquals(30, resolver.stats().bindings());
    }
}

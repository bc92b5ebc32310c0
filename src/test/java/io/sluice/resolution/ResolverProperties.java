package io.sluice.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.HashSet;
import java.util.regex.Pattern;

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
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The indexed, cached resolver against {@link ReferenceResolver} over random bindings, contexts and
 * interleaved mutations. Alphabets are tiny so that names, scopes, groups and priorities collide often.
 */
class ResolverProperties {

    private static final List<String> TOPIC_REGEXES = List.of(".*", "orders\\..*", "orders\\.in", "pay.*");

    /** One operation on both resolvers; a resolve step asserts they agree. */
    sealed interface Step permits Put, Remove, Load, Resolve {

        void applyTo(IndexedResolver indexed, ReferenceResolver reference, Set<String> reached);
    }

    record Put(Binding binding) implements Step {

        @Override
        public void applyTo(final IndexedResolver indexed, final ReferenceResolver reference,
                            final Set<String> reached) {
            indexed.put(binding);
            reference.put(binding);
        }
    }

    record Remove(BindingId id) implements Step {

        @Override
        public void applyTo(final IndexedResolver indexed, final ReferenceResolver reference,
                            final Set<String> reached) {
            indexed.remove(id);
            reference.remove(id);
        }
    }

    record Load(List<Binding> bindings) implements Step {

        @Override
        public void applyTo(final IndexedResolver indexed, final ReferenceResolver reference,
                            final Set<String> reached) {
            indexed.load(bindings);
            reference.load(bindings);
        }
    }

    record Resolve(Context context) implements Step {

        @Override
        public void applyTo(final IndexedResolver indexed, final ReferenceResolver reference,
                            final Set<String> reached) {
            final Chain expected = reference.resolve(context);
            assertEquals(expected, indexed.resolve(context), () -> "context " + context);
            reached.addAll(features(expected, reference.resolve(withoutTopic(context))));
        }
    }

    @Property(tries = 300)
    void indexedResolverAgreesWithTheReference(@ForAll("steps") final List<Step> steps,
                                                @ForAll("cacheBounds") final int maxCachedContexts) {
        // given
        final IndexedResolver indexed = new IndexedResolver(maxCachedContexts);
        final ReferenceResolver reference = new ReferenceResolver();

        final Set<String> reached = new HashSet<>();

        // when / then: every resolve step compares the two
        steps.forEach(step -> step.applyTo(indexed, reference, reached));

        // and the generators keep reaching the cases that matter
        final ResolverStats stats = indexed.stats();
        cover("several instances of one name", reached.contains(SEVERAL_INSTANCES));
        cover("dropped by topic", reached.contains(DROPPED_BY_TOPIC));
        cover("hits and invalidations", stats.invalidations() > 0 && stats.hits() > 0);
        cover("evictions", stats.evictions() > 0);
    }

    /** Fails the property when under a tenth of the tries reach a case: the generators would have drifted. */
    private static void cover(final String label, final boolean reached) {
        Statistics.label(label).collect(reached).coverage(checker -> checker.check(true).percentage(p -> p >= 10));
    }

    private static final String SEVERAL_INSTANCES = "several instances of one name";
    private static final String DROPPED_BY_TOPIC = "dropped by topic";

    private static Set<String> features(final Chain chain, final Chain withoutTopicFilter) {
        final Set<String> features = new HashSet<>();
        if (chain.interceptors().stream().map(Binding::name).distinct().count() < chain.interceptors().size()) {
            features.add(SEVERAL_INSTANCES);
        }
        if (chain.interceptors().size() < withoutTopicFilter.interceptors().size()) {
            features.add(DROPPED_BY_TOPIC);
        }
        return features;
    }

    private static Context withoutTopic(final Context context) {
        return new Context(context.vcluster(), context.username(), context.groups(), null);
    }

    @Property(tries = 400)
    void pureFunctionAgreesWithTheReferenceWhateverTheCandidateOrder(
            @ForAll("bindingSets") final List<Binding> bindings, @ForAll("contexts") final Context context,
            @ForAll final Random random) {
        // given: one binding per id, as in the config topic, in any order
        final Map<BindingId, Binding> byId = new LinkedHashMap<>();
        bindings.forEach(binding -> byId.put(binding.id(), binding));
        final List<Binding> shuffled = new ArrayList<>(byId.values());
        Collections.shuffle(shuffled, random);

        // when
        final Chain chain = Resolution.resolve(shuffled, context);

        // then
        assertEquals(ReferenceResolver.resolve(byId.values(), context), chain);
    }

    /** Scripts resolve a few contexts again and again, so that cached entries meet the mutations. */
    @Provide
    Arbitrary<List<Step>> steps() {
        return contexts().list().ofMinSize(2).ofMaxSize(6).flatMap(pool -> Arbitraries.<Step>frequencyOf(
                Tuple.of(6, bindings().map(Put::new)),
                Tuple.of(2, ids().map(Remove::new)),
                Tuple.of(1, bindingSets().map(Load::new)),
                Tuple.of(8, Arbitraries.of(pool).map(Resolve::new)))
            .list().ofMinSize(10).ofMaxSize(150));
    }

    /** 0 disables the cache; 1 and 2 keep eviction busy; 1000 never evicts. */
    @Provide
    Arbitrary<Integer> cacheBounds() {
        return Arbitraries.of(0, 1, 2, 1000);
    }

    @Provide
    Arbitrary<List<Binding>> bindingSets() {
        return bindings().list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<Context> contexts() {
        return Combinators.combine(
                Arbitraries.of("v1", "v2", "default").injectNull(0.25),
                Arbitraries.of("alice", "bob").injectNull(0.25),
                Arbitraries.of("g1", "g2", "g3").set().ofMaxSize(3),
                Arbitraries.of("orders.in", "orders.out", "payments").injectNull(0.3))
            .as(Context::new);
    }

    private static Arbitrary<Binding> bindings() {
        return Combinators.combine(ids(), Arbitraries.integers().between(0, 3),
                Arbitraries.of(TOPIC_REGEXES).injectNull(0.6), Arbitraries.integers().between(0, 2))
            .as((id, priority, topics, config) -> new Binding(id, "header-injection", priority,
                topics == null ? null : Pattern.compile(topics), null, Json.object().put("config", config)));
    }

    private static Arbitrary<BindingId> ids() {
        return Combinators.combine(Arbitraries.of("a", "b", "c"), scopes()).as(BindingId::new);
    }

    private static Arbitrary<BindingScope> scopes() {
        final Arbitrary<String> vclusters = Arbitraries.of("v1", "v2", "default");
        final Arbitrary<String> groups = Arbitraries.of("g1", "g2", "g3");
        final Arbitrary<String> usernames = Arbitraries.of("alice", "bob");
        // Group scopes weigh more: the group special case needs two of them to meet in one context.
        return Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(BindingScope.GLOBAL)),
            Tuple.of(2, vclusters.map(vcluster -> new BindingScope(vcluster, null, null))),
            Tuple.of(3, groups.map(group -> new BindingScope(null, group, null))),
            Tuple.of(3, Combinators.combine(vclusters, groups).as((vcluster, group) -> new BindingScope(vcluster, group, null))),
            Tuple.of(1, usernames.map(username -> new BindingScope(null, null, username))),
            Tuple.of(1, Combinators.combine(vclusters, usernames)
                .as((vcluster, username) -> new BindingScope(vcluster, null, username))));
    }
}

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
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.bindings.Binding;

/**
 * The resolution rules (README, "Resolution"), one row per rule: bindings, a context, the whole expected chain. Every row runs against the
 * pure function, the indexed resolver (cold and cached) and the reference the property tests rely on.
 */
class ResolutionRulesTest {

    // The seed's example: topicProtection, priority 10 + config X globally, 12 + config Y for vcluster conduktor.
    private static final Binding PROTECTION_GLOBAL = binding("topicProtection", global(), 10, null, "X");
    private static final Binding PROTECTION_CONDUKTOR = binding("topicProtection", vcluster("conduktor"), 12, null, "Y");

    // The same name at every precision, most precise first, all matching vcluster payments / user alice / group g1.
    private static final List<Binding> LADDER = List.of(
        binding("mask", username("payments", "alice"), 1),
        binding("mask", username("alice"), 2),
        binding("mask", group("payments", "g1"), 3),
        binding("mask", group("g1"), 4),
        binding("mask", vcluster("payments"), 5),
        binding("mask", global(), 6));

    static Stream<Arguments> rules() {
        final List<Arguments> rows = new ArrayList<>();
        rows.addAll(chainsAndOverrides());
        rows.addAll(precisionLadder());
        rows.addAll(matching());
        rows.addAll(multipleGroups());
        rows.addAll(ordering());
        rows.addAll(topicFilters());
        rows.addAll(contextDefaults());
        return rows.stream();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void pureFunction(final List<Binding> bindings, final Context context, final Chain expected) {
        // when
        final Chain chain = Resolution.resolve(bindings, context);

        // then
        assertEquals(expected, chain);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void pureFunctionIgnoresCandidateOrder(final List<Binding> bindings, final Context context, final Chain expected) {
        // given
        final List<Binding> reversed = new ArrayList<>(bindings);
        Collections.reverse(reversed);

        // when
        final Chain chain = Resolution.resolve(reversed, context);

        // then
        assertEquals(expected, chain);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void indexedResolverColdThenCached(final List<Binding> bindings, final Context context, final Chain expected) {
        // given
        final IndexedResolver resolver = Fixtures.indexed(bindings);

        // when
        final Chain cold = resolver.resolve(context);
        final Chain cached = resolver.resolve(context);

        // then
        assertEquals(expected, cold);
        assertEquals(expected, cached);
        assertEquals(1, resolver.stats().hits());
    }

    @ParameterizedTest
    @MethodSource("rules")
    void referenceResolver(final List<Binding> bindings, final Context context, final Chain expected) {
        // when
        final Chain chain = ReferenceResolver.resolve(bindings, context);

        // then
        assertEquals(expected, chain);
    }

    private static List<Arguments> chainsAndOverrides() {
        final Binding trace = binding("trace", global(), 20);
        final Binding mask = binding("mask", global(), 10);
        final Binding maskPayments = binding("mask", vcluster("payments"), 30);
        return List.of(
            row("no bindings: empty chain", List.of(), context("payments", "alice"), chain()),
            row("different names chain, by priority", List.of(trace, mask), context("payments", "alice"),
                chain(mask, trace)),
            row("same name at another scope overrides, with its own priority",
                List.of(trace, mask, maskPayments), context("payments", "alice"), chain(trace, maskPayments)),
            row("an override elsewhere leaves the global binding", List.of(trace, mask, maskPayments),
                context("orders", "alice"), chain(mask, trace)),
            row("seed: context in vcluster conduktor gets priority 12 and config Y",
                List.of(PROTECTION_GLOBAL, PROTECTION_CONDUKTOR), context("conduktor", "alice"),
                chain(PROTECTION_CONDUKTOR)),
            row("seed: context in another vcluster gets priority 10 and config X",
                List.of(PROTECTION_GLOBAL, PROTECTION_CONDUKTOR), context("payments", "alice"),
                chain(PROTECTION_GLOBAL)));
    }

    /** Each step: with the k most precise removed, the next one wins. */
    private static List<Arguments> precisionLadder() {
        final String[] steps = {"username+vcluster", "username", "group+vcluster", "group", "vcluster", "global"};
        return IntStream.range(0, LADDER.size())
            .mapToObj(k -> row(steps[k] + " is the most precise left",
                LADDER.subList(k, LADDER.size()), context("payments", "alice", "g1"), chain(LADDER.get(k))))
            .toList();
    }

    private static List<Arguments> matching() {
        final Binding maskGlobal = binding("mask", global(), 9);
        return List.of(
            row("username scope of another user does not match",
                List.of(maskGlobal, binding("mask", username("bob"), 1)), context("payments", "alice"),
                chain(maskGlobal)),
            row("username+vcluster scope in another vcluster does not match",
                List.of(maskGlobal, binding("mask", username("orders", "alice"), 1)), context("payments", "alice"),
                chain(maskGlobal)),
            row("group scope of a group the context lacks does not match",
                List.of(maskGlobal, binding("mask", group("g2"), 1)), context("payments", "alice", "g1"),
                chain(maskGlobal)),
            row("group+vcluster scope in another vcluster does not match",
                List.of(maskGlobal, binding("mask", group("orders", "g1"), 1)), context("payments", "alice", "g1"),
                chain(maskGlobal)),
            row("vcluster scope of another vcluster does not match",
                List.of(maskGlobal, binding("mask", vcluster("orders"), 1)), context("payments", "alice"),
                chain(maskGlobal)),
            row("username without vcluster matches in any vcluster",
                List.of(maskGlobal, binding("mask", username("alice"), 1)), context("orders", "alice"),
                chain(binding("mask", username("alice"), 1))),
            row("vcluster names compare case-sensitively",
                List.of(maskGlobal, binding("mask", vcluster("Payments"), 1)), context("payments", "alice"),
                chain(maskGlobal)),
            row("usernames compare case-sensitively",
                List.of(maskGlobal, binding("mask", username("Alice"), 1)), context("payments", "alice"),
                chain(maskGlobal)),
            row("groups compare case-sensitively",
                List.of(maskGlobal, binding("mask", group("G1"), 1)), context("payments", "alice", "g1"),
                chain(maskGlobal)),
            row("interceptor names compare case-sensitively: Mask and mask chain",
                List.of(maskGlobal, binding("Mask", vcluster("payments"), 1)), context("payments", "alice"),
                chain(binding("Mask", vcluster("payments"), 1), maskGlobal)));
    }

    private static List<Arguments> multipleGroups() {
        final Binding maskVcluster = binding("mask", vcluster("payments"), 1);
        final Binding maskG1 = binding("mask", group("g1"), 5);
        final Binding maskG2 = binding("mask", group("g2"), 3);
        final Binding maskG1Payments = binding("mask", group("payments", "g1"), 7);
        final Binding maskG1Orders = binding("mask", group("orders", "g1"), 2);
        final Context alice = context("payments", "alice", "g1", "g2", "g3");
        return List.of(
            row("several matching groups: one instance per group, the vcluster binding is overridden",
                List.of(maskVcluster, maskG1, maskG2), alice, chain(maskG2, maskG1)),
            row("a single matching group: one instance",
                List.of(maskVcluster, maskG1, maskG2), context("payments", "alice", "g1"), chain(maskG1)),
            row("each group keeps its own most precise: group+vcluster beats group for g1 only",
                List.of(maskG1, maskG2, maskG1Payments), alice, chain(maskG2, maskG1Payments)),
            row("a group+vcluster scope of another vcluster does not beat the plain group",
                List.of(maskG1, maskG2, maskG1Orders), alice, chain(maskG2, maskG1)),
            row("username beats all matching groups",
                List.of(maskG1, maskG2, binding("mask", username("alice"), 9)), alice,
                chain(binding("mask", username("alice"), 9))),
            row("a username scope of another vcluster does not beat the groups",
                List.of(maskG1, maskG2, binding("mask", username("orders", "alice"), 0)), alice,
                chain(maskG2, maskG1)),
            row("the anonymous user still gets group instances",
                List.of(maskG1, maskG2, binding("mask", username("alice"), 9)),
                context("payments", null, "g1", "g2"), chain(maskG2, maskG1)),
            row("groups at the same priority are ordered by group",
                List.of(binding("mask", group("g2"), 4), binding("mask", group("g1"), 4)), alice,
                chain(binding("mask", group("g1"), 4), binding("mask", group("g2"), 4))),
            row("other names are resolved independently of the group special case",
                List.of(maskG1, maskG2, binding("trace", group("g1"), 4), binding("trace", vcluster("payments"), 0)),
                alice, chain(maskG2, binding("trace", group("g1"), 4), maskG1)));
    }

    private static List<Arguments> ordering() {
        final Binding b = binding("b", global(), 5);
        final Binding a = binding("a", vcluster("payments"), 5);
        final Binding c = binding("c", username("alice"), 5);
        final Binding upper = binding("B", global(), 5);
        final Binding first = binding("z", global(), 0);
        final Binding maskG1 = binding("mask", group("g1"), 5);
        final Binding maskG2 = binding("mask", group("g2"), 5);
        return List.of(
            row("priority ascending: lower runs first, whatever the scope",
                List.of(b, first), context("payments", "alice"), chain(first, b)),
            row("equal priorities are ordered by name", List.of(c, b, a), context("payments", "alice"),
                chain(a, b, c)),
            row("names order by code point: upper case first", List.of(b, a, upper), context("payments", "alice"),
                chain(upper, a, b)),
            row("ties by name, then group", List.of(maskG2, b, maskG1, a), context("payments", "alice", "g2", "g1"),
                chain(a, b, maskG1, maskG2)));
    }

    private static List<Arguments> topicFilters() {
        final Binding maskOrders = binding("mask", vcluster("payments"), 1, "orders\\..*");
        final Binding maskGlobal = binding("mask", global(), 2);
        final Binding trace = binding("trace", global(), 3, "orders\\.in");
        final Binding maskG1Orders = binding("mask", group("g1"), 1, "orders\\..*");
        final Binding maskG2 = binding("mask", group("g2"), 2);
        final Context payments = context("payments", "alice", "g1", "g2");
        return List.of(
            row("a binding runs when its regex matches the topic",
                List.of(maskOrders, trace), onTopic(payments, "orders.in"), chain(maskOrders, trace)),
            row("a binding whose regex does not match is dropped",
                List.of(maskOrders, trace), onTopic(payments, "orders.out"), chain(maskOrders)),
            row("the regex must match the whole topic name",
                List.of(binding("trace", global(), 3, "orders")), onTopic(payments, "orders.in"), chain()),
            row("no fallback: the global binding does not run when the vcluster one is filtered out",
                List.of(maskOrders, maskGlobal), onTopic(payments, "payments.in"), chain()),
            row("no fallback per group: g1's instance is dropped, g2's runs",
                List.of(maskG1Orders, maskG2, maskGlobal), onTopic(payments, "payments.in"), chain(maskG2)),
            row("a context without a topic skips the filter",
                List.of(maskOrders, trace), payments, chain(maskOrders, trace)));
    }

    private static List<Arguments> contextDefaults() {
        final Binding maskDefault = binding("mask", vcluster("default"), 1);
        final Binding traceAlice = binding("trace", username("default", "alice"), 2);
        final Binding quotaGlobal = binding("quota", global(), 3);
        final Binding quotaAlice = binding("quota", username("alice"), 0);
        return List.of(
            row("no vcluster means vcluster default",
                List.of(maskDefault, traceAlice), context(null, "alice"), chain(maskDefault, traceAlice)),
            row("vcluster default is an ordinary name",
                List.of(maskDefault, traceAlice), context("default", "alice"), chain(maskDefault, traceAlice)),
            row("the anonymous user matches no username scope",
                List.of(quotaGlobal, quotaAlice, traceAlice), context(null, null), chain(quotaGlobal)),
            row("the empty context gets the global bindings only",
                List.of(quotaGlobal, binding("mask", group("g1"), 1), binding("mask", vcluster("payments"), 1)),
                new Context(null, null, Set.of(), null), chain(quotaGlobal)));
    }

    private static Arguments row(final String rule, final List<Binding> bindings, final Context context,
                                 final Chain expected) {
        return argumentSet(rule, bindings, context, expected);
    }
}

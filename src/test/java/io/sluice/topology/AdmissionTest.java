package io.sluice.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.resolution.Chain;
import io.sluice.resolution.IndexedResolver;

/** The chain an admitted record gets, kept with its identity: never one its resolver's bindings no longer give. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdmissionTest {

    private static final String TOPIC = "admission.in";
    private final Routing routing = new Routing(new TopologyFile("admission", "_sluice_bindings",
        TopologyFile.AuditTopics.DEFAULT, "_sluice_rejected", ProcessingGuarantee.EXACTLY_ONCE_V2,
        List.of(new Route(TOPIC, "admission.out", null, false))));

    @Test
    void aKnownUsersRecordsTakeTheirChainWithoutALookupUntilTheBindingsChange() {
        // given
        final IndexedResolver resolver = new IndexedResolver();
        resolver.put(binding("stamp", BindingScope.GLOBAL));
        final Admission admission = new Admission(routing);
        assertTrue(admission.admit(TOPIC, user("admission-alice")));
        final Chain first = admission.chain(resolver);
        final long lookups = lookups(resolver);

        // when: more of alice's records
        assertTrue(admission.admit(TOPIC, user("admission-alice")));
        final Chain again = admission.chain(resolver);

        // then
        assertTrue(first == again, "the same chain");
        assertEquals(lookups, lookups(resolver), "no resolver lookup for a known identity");

        // when: a binding for alice is applied
        resolver.put(binding("mask", new BindingScope(null, null, "admission-alice")));
        assertTrue(admission.admit(TOPIC, user("admission-alice")));

        // then: her next record has it
        assertEquals(List.of("mask", "stamp"), names(admission.chain(resolver)));
    }

    @Test
    void applicationsInOneJvmShareIdentitiesButNeverTheirChains() {
        // given: two applications' resolvers with the same history of changes, and different bindings
        final IndexedResolver one = new IndexedResolver();
        one.put(binding("one", BindingScope.GLOBAL));
        final IndexedResolver other = new IndexedResolver();
        other.put(binding("other", BindingScope.GLOBAL));
        final Admission admission = new Admission(routing);

        // when: the same user's records go through both
        assertTrue(admission.admit(TOPIC, user("admission-bob")));
        final List<String> inOne = names(admission.chain(one));
        assertTrue(admission.admit(TOPIC, user("admission-bob")));
        final List<String> inOther = names(admission.chain(other));

        // then
        assertEquals(List.of("one"), inOne);
        assertEquals(List.of("other"), inOther);
    }

    private static long lookups(final IndexedResolver resolver) {
        return resolver.stats().hits() + resolver.stats().misses();
    }

    private static List<String> names(final Chain chain) {
        return chain.interceptors().stream().map(Binding::name).toList();
    }

    private static Binding binding(final String name, final BindingScope scope) {
        return new Binding(new BindingId(name, scope), "header-injection", name.equals("mask") ? 1 : 10, null, null,
            JsonNodeFactory.instance.objectNode());
    }

    private static Headers user(final String name) {
        final Headers headers = new RecordHeaders();
        headers.add(IdentityHeaders.USER, name.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}

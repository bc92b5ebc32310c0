package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.resolution.IndexedResolver;
import io.sluice.topology.IdentityHeaders;
import io.sluice.topology.IdentitySignature;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;

/**
 * {@code onConsume} admits records as the chain processor does: on an {@code identity: signed} route, the hooks of
 * the user a record claims to be see it only when the claim is signed with the route's key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumeHooksTest {

    private static final String TOPIC = "signed.in";
    private static final IdentitySignature KEY = IdentitySignature.ofBase64(
        Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "test");
    private static final IdentitySignature OTHER_KEY = IdentitySignature.ofBase64(
        Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII)), "other");

    @Test
    void aForgedIdentityOnASignedRouteIsNotShownToTheHooksOfTheUserItClaims() {
        // given: a signed route, and alice's own recording binding (only alice's records reach it)
        final Routing routing = new Routing(new TopologyFile("consume-hooks", "_sluice_bindings",
            TopologyFile.AuditTopics.DEFAULT, "_sluice_rejected", ProcessingGuarantee.EXACTLY_ONCE_V2,
            List.of(new Route(TOPIC, "signed.out", null, false, KEY))));
        final IndexedResolver resolver = new IndexedResolver();
        final String name = "consume-hooks-alice";
        resolver.put(new Binding(new BindingId(name, new BindingScope(null, null, "alice")), "test-recording", 0,
            null, null, JsonNodeFactory.instance.objectNode()));
        final ConsumeHooks hooks = new ConsumeHooks(routing, resolver,
            new InterceptorInstances(TestPlugins.registry(), new HookGuard(), resolver::inForce));

        // when: alice's signed record, one claiming to be alice unsigned, one signed with another key
        hooks.onConsume(records(
            record(0, signed(KEY, "alice")),
            record(1, identity("alice")),
            record(2, signed(OTHER_KEY, "alice"))));

        // then: only the signed record reached alice's hook
        assertEquals(Map.of(TestPlugins.coordinates(TOPIC, 0, 0), 1), counts(TestPlugins.recording(name).consumed));
    }

    @Test
    void fetchesCostNoResolutionWhileNoInterceptorObservesThemAndAnAddedObserverSeesTheNextOne() {
        // given: a global header-injection binding (no built-in plugin implements onConsume), on a plain route
        final Routing routing = new Routing(new TopologyFile("consume-hooks", "_sluice_bindings",
            TopologyFile.AuditTopics.DEFAULT, "_sluice_rejected", ProcessingGuarantee.EXACTLY_ONCE_V2,
            List.of(new Route(TOPIC, "plain.out", null, false, null))));
        final IndexedResolver resolver = new IndexedResolver();
        resolver.put(new Binding(new BindingId("stamp", BindingScope.GLOBAL), "header-injection", 0, null, null,
            JsonNodeFactory.instance.objectNode().set("headers", JsonNodeFactory.instance.objectNode()
                .put("x-stamp", "1"))));
        final ConsumeHooks hooks = new ConsumeHooks(routing, resolver,
            new InterceptorInstances(TestPlugins.registry(), new HookGuard(), resolver::inForce));
        hooks.onConsume(records(record(0, identity("alice"))));
        final long resolutions = resolutions(resolver);

        // when: more fetches
        hooks.onConsume(records(record(1, identity("alice")), record(2, identity("bob"))));

        // then: none was admitted or resolved
        assertEquals(resolutions, resolutions(resolver), "no resolution while no instance can observe a fetch");

        // when: alice gets a recording binding, then a fetch comes
        final String name = "consume-hooks-added";
        resolver.put(new Binding(new BindingId(name, new BindingScope(null, null, "alice")), "test-recording", 0,
            null, null, JsonNodeFactory.instance.objectNode()));
        hooks.onConsume(records(record(3, identity("alice")), record(4, identity("bob"))));

        // then: its hook saw alice's record of that very fetch
        assertEquals(Map.of(TestPlugins.coordinates(TOPIC, 0, 3), 1), counts(TestPlugins.recording(name).consumed));
    }

    private static long resolutions(final IndexedResolver resolver) {
        return resolver.stats().hits() + resolver.stats().misses();
    }

    private static Headers identity(final String user) {
        final Headers headers = new RecordHeaders();
        headers.add(IdentityHeaders.USER, user.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static Headers signed(final IdentitySignature key, final String user) {
        final Headers headers = identity(user);
        key.sign(headers);
        return headers;
    }

    private static ConsumerRecord<byte[], byte[]> record(final long offset, final Headers headers) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, null,
            "v".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }

    @SafeVarargs
    private static ConsumerRecords<byte[], byte[]> records(final ConsumerRecord<byte[], byte[]>... records) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(TOPIC, 0), List.of(records)), Map.of());
    }

    private static Map<String, Integer> counts(final Map<String, java.util.concurrent.atomic.AtomicInteger> counts) {
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get()));
    }
}

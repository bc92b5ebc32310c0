package io.sluice.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.testkit.SchemaRegistry;
import io.sluice.testkit.TcpProxy;

/** The client against a real registry (Apicurio's Confluent API). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SchemaRegistryClientIT {

    @RegisterExtension
    static final SchemaRegistry REGISTRY = SchemaRegistry.shared();

    static final String ORDER_V1 = """
        {"type":"record","name":"Order","namespace":"com.acme","fields":[
          {"name":"id","type":"string"},{"name":"card","type":"string"}]}""";
    static final String ORDER_V2 = """
        {"type":"record","name":"Order","namespace":"com.acme","fields":[
          {"name":"id","type":"string"},{"name":"card","type":"string"},
          {"name":"note","type":["null","string"],"default":null}]}""";

    static final String JSON_SCHEMA = """
        {"$schema":"http://json-schema.org/draft-07/schema#","title":"Payment","type":"object",
         "properties":{"amount":{"type":"number"}},"required":["amount"]}""";

    private final SchemaRegistryClient client = new SchemaRegistryClient(SchemaRegistrySettings.of(URI.create(REGISTRY.url())));

    @Test
    void registersAndReadsSchemasBySubjectVersionAndId() {
        // given
        final String subject = "client-orders-value";
        // when
        final int first = client.register(subject, SchemaType.AVRO, ORDER_V1);
        final int second = client.register(subject, SchemaType.AVRO, ORDER_V2);
        // then
        assertEquals(first, client.register(subject, SchemaType.AVRO, ORDER_V1), "registering again gives the same id");
        assertEquals(List.of(1, 2), client.versions(subject));
        assertEquals(new SubjectVersion(subject, 2, second), client.version(subject, "latest"));
        assertEquals(new SubjectVersion(subject, 1, first), client.version(subject, "1"));
        assertTrue(client.subjects().contains(subject));
        final SchemaRegistryClient fresh = new SchemaRegistryClient(client.settings());
        final RegisteredSchema schema = fresh.schemaById(second);
        assertEquals(SchemaType.AVRO, schema.type());
        assertTrue(schema.schema().contains("note"), schema.schema());
        assertTrue(fresh.versionsOf(second).contains(new SubjectVersion(subject, 2, second)), fresh.versionsOf(second).toString());
    }

    @Test
    void registersJsonSchemas() {
        final int id = client.register("client-json-value", SchemaType.JSON, JSON_SCHEMA);
        final RegisteredSchema schema = new SchemaRegistryClient(client.settings()).schemaById(id);
        assertEquals(SchemaType.JSON, schema.type());
    }

    @Test
    void anUnknownIdIsNotFoundAtOnce() {
        final long start = System.nanoTime();
        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(987654));
        assertEquals(SchemaRegistryException.Kind.NOT_FOUND, e.kind());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "not retried");
    }

    @Test
    void anIncompatibleSchemaIsRefused() {
        final String subject = "client-compat-value";
        client.register(subject, SchemaType.AVRO, ORDER_V1);
        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
            () -> client.register(subject, SchemaType.AVRO, "{\"type\":\"string\""));
        assertEquals(SchemaRegistryException.Kind.REFUSED, e.kind(), e.getMessage());
    }

    @Test
    void aRegistryOutOfReachIsRetriedUntilTheTimeoutThenUsedAgainWhenBack() throws Exception {
        final int id = client.register("client-outage-value", SchemaType.AVRO, ORDER_V1);
        try (TcpProxy proxy = new TcpProxy(REGISTRY.port())) {
            final SchemaRegistryClient viaProxy = new SchemaRegistryClient(SchemaRegistrySettings.of(
                URI.create("http://127.0.0.1:" + proxy.port() + SchemaRegistry.CONFLUENT_API)).withTimeout(Duration.ofSeconds(2)));
            // when the registry is out of reach
            proxy.cut();
            final long start = System.nanoTime();
            final SchemaRegistryException down = assertThrows(SchemaRegistryException.class, () -> viaProxy.schemaById(id));
            final Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // then it was retried for the timeout, and the reason says so
            assertEquals(SchemaRegistryException.Kind.UNAVAILABLE, down.kind());
            assertTrue(waited.toMillis() >= 1900, "retried for the timeout, not " + waited);
            assertTrue(down.getMessage().contains("unavailable"), down.getMessage());
            // when it is back, requests succeed again; and a request started while it is down succeeds once it is back
            proxy.restore();
            assertEquals(SchemaType.AVRO, viaProxy.schemaById(id).type());
            proxy.cut();
            final SchemaRegistryClient patient = new SchemaRegistryClient(viaProxy.settings().withTimeout(Duration.ofSeconds(30)));
            final Thread restorer = new Thread(() -> {
                sleep(1500);
                proxy.restore();
            });
            restorer.start();
            assertEquals(SchemaType.AVRO, patient.schemaById(id).type());
            restorer.join();
        }
    }

    @Test
    void credentialsNeverShowInTheSettings() {
        final SchemaRegistrySettings settings = new SchemaRegistrySettings(URI.create(REGISTRY.url()), "alice",
            "s3cr3t-pw", null, java.util.Map.of("ssl.truststore.password", "st0re-pw"), Duration.ofSeconds(30));
        assertTrue(!settings.toString().contains("s3cr3t-pw") && !settings.toString().contains("st0re-pw"),
            settings.toString());
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

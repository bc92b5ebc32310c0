package io.sluice.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.chain.ChainRecord;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.DataKeys;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

/**
 * Per-record cost of {@code field-encryption} with a keyring against a static key, on a 200-byte JSON order:
 * the keyring's path adds the current-key lookup for the record's user and the unwrapped-key cache, both of which
 * a steady stream hits ({@code users} users, each with a key made beforehand, as after the first record of each).
 * {@code mvn -B -Pbench -DskipTests test-compile exec:exec -Djmh.args="KeyringBenchmark -f 1 -wi 3 -i 5"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyringBenchmark {

    @Param({"static-key", "keyring"})
    public String key;

    @Param({"1", "10000"})
    public int users;

    private static final byte[] ORDER = ("{\"id\":\"o-1001\",\"amount\":4200,\"card\":{\"number\":\"4111111111111111\","
        + "\"holder\":\"Ann Example\"},\"email\":\"ann@example.com\",\"items\":[{\"sku\":\"A-1\",\"qty\":2}]}")
        .getBytes(StandardCharsets.UTF_8);

    private Interceptor encryption;
    private RecordContext[] contexts;
    private int next;

    @Setup
    public void setUp() throws Exception {
        final String kek = Base64.getEncoder().encodeToString(random(32));
        final KeyStore store = new KeyStore("bench_keys");
        final Kek keks = Kek.fromEnv("KEK", Map.of("KEK", kek)::get);
        contexts = new RecordContext[users];
        for (int i = 0; i < users; i++) {
            contexts[i] = new RecordContext("payments", "user-" + i, Set.of(), "orders.in", 0, i, 0L);
            store.put(DekRecord.create("pii", DekScope.USER, "user-" + i, 1, keks, 0L).record());
        }
        // No producer: every key exists, so none is made (and published) while measuring.
        final Keyrings keyrings = new Keyrings(Map.of("pii", new KeyringSpec("pii", null, "KEK", DekScope.USER)),
            Map.of("pii", keks), store, null);
        final String config = key.equals("keyring") ? "{\"keyring\": \"pii\", \"fields\": [\"card.number\", \"email\"]}"
            : "{\"keyId\": \"orders-1\", \"keyEnv\": \"BENCH_KEY\", \"fields\": [\"card.number\", \"email\"]}";
        if (key.equals("static-key") && System.getenv("BENCH_KEY") == null) {
            throw new IllegalStateException("set BENCH_KEY to the base64 of 32 bytes for the static-key case");
        }
        encryption = PluginRegistry.load().find("field-encryption").orElseThrow()
            .create(new InterceptorSetup("encrypt", null, null, null, Json.MAPPER.readTree(config), (DataKeys) keyrings));
    }


    private static byte[] random(final int bytes) {
        final byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return random;
    }

    @Benchmark
    public byte[] encrypt() {
        final RecordContext context = contexts[next++ % contexts.length];
        final ChainRecord record = new ChainRecord(context, null, ORDER, new RecordHeaders());
        encryption.onSend(record);
        return record.value();
    }
}

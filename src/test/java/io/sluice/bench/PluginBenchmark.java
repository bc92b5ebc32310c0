package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.chain.ChainRecord;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

/**
 * Throughput of each built-in plugin alone, on a JSON value of {@code valueBytes} (1 KB: an order with items; 200 B:
 * the end-to-end bench's order). An operation is what a one-interceptor chain costs: a fresh record, {@code onSend},
 * and reading the value back as bytes. {@code noop} is that harness without a plugin; {@code chain-c} is the
 * end-to-end bench's 5-interceptor chain (produce-policy INFO with valueFormat json, two header injections, header
 * removal, field masking), its hooks called one after the other without the chain runner.
 *
 * <p>{@code valuePath}: {@code streaming} is how the plugins run now (field edits stream over the bytes, the JSON
 * check is one token pass); {@code tree} builds the value's JSON tree first, as a plugin asking for
 * {@code jsonValue()} earlier in the chain would, so that every field plugin edits the tree and the value is
 * serialized once: what every JSON plugin cost before the value view. Warm-up iterations are 3 s: AES-GCM and the
 * schema validator are still compiling after 1 s on a busy machine.
 *
 * <pre>mvn -B -o -Pbench -DskipTests test-compile exec:exec -Djmh.args="PluginBenchmark -f 1 -wi 2 -i 3"</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PluginBenchmark {

    @Param({"noop", "header-injection", "header-removal", "field-masking", "field-encryption", "field-decryption",
        "produce-policy", "schema-validation", "quota", "chaos", "chain-c", MASKING_JSON_200, MASKING_AVRO_200})
    public String plugin;

    /** Masking of a 200-byte order: JSON, and the same order as framed Avro read through a real schema registry. */
    static final String MASKING_JSON_200 = "field-masking-json-200B";
    static final String MASKING_AVRO_200 = "field-masking-avro-200B";

    @Param({"streaming", "tree"})
    public String valuePath;

    /** The JSON value's size for the plugins above (the two 200-byte masking cases bring their own). */
    @Param({"1024", "200"})
    public int valueBytes;

    private static final RecordContext CONTEXT =
        new RecordContext("payments", "alice", Set.of("analysts"), "orders.eu", 3, 42L, 1_700_000_000_000L);
    private static final byte[] KEY = "order-1001".getBytes(StandardCharsets.UTF_8);

    private Path secrets;
    private Interceptor interceptor;
    private Interceptor[] chain;
    private boolean tree;
    private byte[] value;
    /** Copies of {@link #value}, one per record in turn. */
    private ValueRing values;
    private Header[] headers;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        secrets = Files.createTempDirectory("sluice-bench");
        final Path keyFile = secrets.resolve("key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(new byte[32]));
        final Path saltFile = secrets.resolve("salt");
        Files.writeString(saltFile, "benchmark-salt-0123456789");
        tree = valuePath.equals("tree");
        value = valueBytes == 200 ? smallOrder() : order();
        headers = new Header[] {
            new RecordHeader("x-team", "payments".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("x-internal-route", "a".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8))};
        final String crypto = "{\"keyId\": \"bench\", \"keyFile\": " + Json.MAPPER.writeValueAsString(keyFile.toString())
            + ", \"fields\": [\"card.number\", \"card.cvv\", \"customer.email\"]}";
        if (plugin.equals("field-decryption")) {
            // Decrypt what encryption wrote: the value and its sluice-key-id header.
            final ChainRecord encrypted = record(create("field-encryption", crypto));
            value = encrypted.value();
            headers = encrypted.headers().toArray();
        }
        if (plugin.equals(MASKING_JSON_200) || plugin.equals(MASKING_AVRO_200)) {
            value = plugin.equals(MASKING_JSON_200) ? SmallOrders.json() : SmallOrders.framedAvro();
            interceptor = create("field-masking", SmallOrders.MASKING);
            tree &= plugin.equals(MASKING_JSON_200); // an Avro value has no JSON tree
            values = new ValueRing(value);
            return;
        }
        if (plugin.equals("chain-c")) {
            chain = new Interceptor[] {
                create("produce-policy", "{\"requireKey\": true, \"requiredHeaders\": [\"x-team\"], \"maxValueBytes\": 262144,"
                    + " \"valueFormat\": \"json\", \"action\": \"INFO\"}"),
                create("header-injection", "{\"headers\": {\"x-origin\": \"{{vcluster}}/{{topic}}-{{partition}}@{{offset}}\","
                    + " \"x-sent-by\": \"{{user}}\"}}"),
                create("header-injection", "{\"headers\": {\"x-bindings-version\": \"v1\"}, \"overwrite\": true}"),
                create("header-removal", "{\"pattern\": \"x-internal-.*\"}"),
                create("field-masking", "{\"fields\": [{\"path\": \"card.number\", \"strategy\": \"LAST_N\", \"n\": 4},"
                    + " {\"path\": \"card.cvv\", \"strategy\": \"ALL\"}, {\"path\": \"customer.email\", \"strategy\": \"FIRST_N\", \"n\": 2}]}")};
        } else {
            interceptor = plugin.equals("noop") ? null : create(plugin, config(plugin, crypto, saltFile));
        }
        values = new ValueRing(value);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (interceptor != null) {
            interceptor.close();
        }
        if (chain != null) {
            for (final Interceptor each : chain) {
                each.close();
            }
        }
        try (var files = Files.list(secrets)) {
            for (final Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(secrets);
    }

    @Benchmark
    public byte[] onSend() {
        final ChainRecord record = new ChainRecord(CONTEXT, KEY, values.next(), new RecordHeaders(headers));
        record.interceptorName("bench");
        if (tree) {
            record.jsonValue();
        }
        if (interceptor != null) {
            interceptor.onSend(record);
        } else if (chain != null) {
            for (final Interceptor each : chain) {
                each.onSend(record);
            }
        }
        return record.value();
    }

    private ChainRecord record(final Interceptor encryptor) {
        final ChainRecord record = new ChainRecord(CONTEXT, KEY, value, new RecordHeaders(headers));
        encryptor.onSend(record);
        return record;
    }

    private static Interceptor create(final String type, final String config) throws IOException {
        final InterceptorFactory factory = PluginRegistry.load().find(type).orElseThrow();
        final JsonNode node = Json.MAPPER.readTree(config);
        if (!factory.validate(node).isEmpty()) {
            throw new IllegalStateException(type + ": " + factory.validate(node));
        }
        return factory.create(new InterceptorSetup("bench", null, null, null, node));
    }

    private static String config(final String type, final String crypto, final Path saltFile) throws IOException {
        return switch (type) {
            case "header-injection" -> "{\"headers\": {\"x-trace-id\": \"{{uuid}}\", \"x-user\": \"{{user}}\","
                + " \"x-origin\": \"{{topic}}-{{partition}}@{{offset}}\"}}";
            case "header-removal" -> "{\"pattern\": \"x-internal-.*\"}";
            case "field-masking" -> "{\"saltFile\": " + Json.MAPPER.writeValueAsString(saltFile.toString()) + ", \"fields\": ["
                + "{\"path\": \"card.number\", \"strategy\": \"LAST_N\", \"n\": 4},"
                + " {\"path\": \"card.cvv\", \"strategy\": \"ALL\"},"
                + " {\"path\": \"customer.email\", \"strategy\": \"HASH\"}]}";
            case "field-encryption", "field-decryption" -> crypto;
            case "produce-policy" -> "{\"requireKey\": true, \"requiredHeaders\": [\"x-team\"], \"maxValueBytes\": 4096,"
                + " \"valueFormat\": \"json\"}";
            case "schema-validation" -> "{\"schema\": {\"type\": \"object\", \"required\": [\"id\", \"amount\", \"items\"],"
                + " \"properties\": {\"id\": {\"type\": \"string\"}, \"amount\": {\"type\": \"number\", \"minimum\": 0},"
                + " \"currency\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}$\"},"
                + " \"items\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\"sku\", \"qty\"],"
                + " \"properties\": {\"sku\": {\"type\": \"string\"}, \"qty\": {\"type\": \"integer\", \"minimum\": 1}}}}}}}";
            case "quota" -> "{\"recordsPerSecond\": 1e12, \"bytesPerSecond\": 1e15}";
            case "chaos" -> "{\"duplicatePercent\": 5, \"corruptPercent\": 1, \"seed\": 1}";
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The end-to-end bench's order: 200 bytes of JSON. */
    private static byte[] smallOrder() {
        final String head = "{\"id\":1001,\"card\":{\"number\":\"4111111111111111\",\"cvv\":\"123\"},"
            + "\"customer\":{\"name\":\"alice Example\",\"email\":\"alice@example.com\"},"
            + "\"items\":[{\"sku\":\"SKU-17\",\"iban\":\"DE89370400440532013000\"}],\"note\":\"";
        return (head + "x".repeat(Math.max(0, 200 - head.length() - 2)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** An order of exactly 1 KB (1024 bytes) of JSON. */
    private static byte[] order() throws IOException {
        final ObjectNode order = Json.object();
        order.put("id", "order-1001").put("amount", 1234.5).put("currency", "EUR").put("createdAt", "2026-11-23T10:15:30Z");
        order.putObject("card").put("number", "4111111111111111").put("cvv", "123").put("expiry", "12/29").put("holder", "Ann Smith");
        order.putObject("customer").put("id", "c-77").put("email", "ann.smith@example.com").put("phone", "+44 20 7946 0000")
            .putObject("address").put("street", "1 Main Street").put("city", "London").put("postcode", "EC1A 1BB");
        final var items = order.putArray("items");
        for (int i = 0; Json.MAPPER.writeValueAsBytes(order).length < 940; i++) {
            items.addObject().put("sku", "SKU-" + (1000 + i)).put("qty", 1 + i % 3).put("price", 19.99 + i)
                .put("name", "Item number " + i);
        }
        order.put("note", "");
        order.put("note", "x".repeat(1024 - Json.MAPPER.writeValueAsBytes(order).length));
        return Json.MAPPER.writeValueAsBytes(order);
    }
}

package io.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
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
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.topology.ChainProcessors;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;

/**
 * The chain processor's cost per record, against a processor that only forwards. An operation is one ingress
 * record: a fresh {@link Record} (as Kafka Streams makes per record: it copies the headers), {@code process}, and
 * the forward, which a context that keeps only the last forwarded record absorbs. Both processors pay for the
 * record; the difference is Sluice's. {@code emptyChain} is the path of a record no binding applies to (the resolver
 * cache hit), {@code oneNoopInterceptor} a chain of one interceptor that does nothing, {@code fiveInterceptors} the
 * end-to-end benchmark's chain (c) on its 200 B JSON order: produce-policy INFO, two header injections, header removal
 * and field masking (three fields). {@code headers}: {@code none}, or {@code identity} ({@code sluice-user},
 * {@code sluice-groups} and a {@code traceparent}); chain (c) also gets {@code x-team} and {@code x-internal-debug}.
 *
 * <pre>mvn -B -o -Pbench -DskipTests test-compile exec:exec -Djmh.args="ChainProcessorBenchmark -f 1 -wi 2 -i 3 -prof gc"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChainProcessorBenchmark {

    private static final String INGRESS = "orders.in";
    private static final byte[] KEY = "order-1001".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = new byte[200];
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private static final PluginRegistry PLUGINS = withNoop(PluginRegistry.load());

    private static PluginRegistry withNoop(final PluginRegistry builtIn) {
        final List<InterceptorFactory> factories = new java.util.ArrayList<>(builtIn.factories());
        factories.add(new Noop());
        return new PluginRegistry(factories);
    }

    @Param({"none", "identity"})
    public String headers;

    private Headers ingressHeaders;
    private LastForward passThroughContext;
    private LastForward emptyChainContext;
    private LastForward oneInterceptorContext;
    private Processor<byte[], byte[], byte[], byte[]> passThrough;
    private Processor<byte[], byte[], byte[], byte[]> emptyChain;
    private Processor<byte[], byte[], byte[], byte[]> oneInterceptor;
    private Headers fiveHeaders;
    private LastForward fiveInterceptorsContext;
    private Processor<byte[], byte[], byte[], byte[]> fiveInterceptors;

    @Setup(Level.Trial)
    public void setUp() {
        ingressHeaders = new RecordHeaders();
        if ("identity".equals(headers)) {
            ingressHeaders.add("sluice-user", utf8("alice"));
            ingressHeaders.add("sluice-groups", utf8("analysts,auditors"));
            ingressHeaders.add("traceparent", utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        }
        final Routing routing = new Routing(new TopologyFile("sluice", TopologyFile.DEFAULT_CONFIG_TOPIC,
            TopologyFile.AuditTopics.DEFAULT, TopologyFile.DEFAULT_REJECTED_TOPIC, ProcessingGuarantee.AT_LEAST_ONCE,
            List.of(new Route(INGRESS, "orders.out", "payments", false))));

        passThroughContext = new LastForward();
        passThrough = new PassThrough();
        passThrough.init(bytes(passThroughContext));

        emptyChainContext = new LastForward();
        emptyChain = chainProcessor(routing, new IndexedResolver(), emptyChainContext);

        final IndexedResolver oneBinding = new IndexedResolver();
        oneBinding.put(new Binding(new BindingId("noop", BindingScope.GLOBAL), Noop.TYPE, 10, null, null, Json.object()));
        oneInterceptorContext = new LastForward();
        oneInterceptor = chainProcessor(routing, oneBinding, oneInterceptorContext);

        fiveHeaders = new RecordHeaders(ingressHeaders.toArray());
        fiveHeaders.add("x-team", utf8("team-a"));
        fiveHeaders.add("x-internal-debug", utf8("1"));
        final IndexedResolver five = new IndexedResolver();
        final BindingScope payments = new BindingScope("payments", null, null);
        five.put(binding("bench-policy", payments, "produce-policy", 5, "{\"requireKey\": true, \"requiredHeaders\":"
            + " [\"x-team\"], \"maxValueBytes\": 262144, \"valueFormat\": \"json\", \"action\": \"INFO\"}"));
        five.put(binding("bench-origin", BindingScope.GLOBAL, "header-injection", 10, "{\"headers\": {\"x-origin\":"
            + " \"{{vcluster}}/{{topic}}-{{partition}}@{{offset}}\", \"x-sent-by\": \"{{user}}\"}}"));
        five.put(binding("bench-version", payments, "header-injection", 20,
            "{\"headers\": {\"x-binding-version\": \"v0\"}, \"overwrite\": true}"));
        five.put(binding("bench-strip", payments, "header-removal", 30, "{\"pattern\": \"x-internal-.*\"}"));
        five.put(binding("bench-mask", BindingScope.GLOBAL, "field-masking", 40, "{\"fields\": ["
            + "{\"path\": \"card.number\", \"strategy\": \"LAST_N\", \"n\": 4},"
            + " {\"path\": \"card.cvv\", \"strategy\": \"ALL\"},"
            + " {\"path\": \"customer.email\", \"strategy\": \"FIRST_N\", \"n\": 2}]}"));
        fiveInterceptorsContext = new LastForward();
        fiveInterceptors = chainProcessor(routing, five, fiveInterceptorsContext);
    }

    /** The end-to-end benchmark's 200 B JSON order. */
    private static final byte[] ORDER = order(7, "alice", 200);
    /** Copies of the order, one per record in turn, as a consumer's records each have their own. */
    private final ValueRing orders = new ValueRing(ORDER);

    static byte[] order(final int i, final String user, final int valueBytes) {
        final String head = "{\"id\":" + i + ",\"card\":{\"number\":\"4111111111111111\",\"cvv\":\"123\"},"
            + "\"customer\":{\"name\":\"" + user + " Example\",\"email\":\"" + user + "@example.com\"},"
            + "\"items\":[{\"sku\":\"SKU-" + (i % 997) + "\",\"iban\":\"DE89370400440532013000\"}],\"note\":\"";
        final int padding = Math.max(0, valueBytes - head.length() - 2);
        return (head + "x".repeat(padding) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Binding binding(final String name, final BindingScope scope, final String plugin, final int priority,
                                   final String config) {
        try {
            return new Binding(new BindingId(name, scope), plugin, priority, null, null, Json.MAPPER.readTree(config));
        } catch (final java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Processor<byte[], byte[], byte[], byte[]> chainProcessor(final Routing routing,
                                                                           final IndexedResolver resolver,
                                                                           final LastForward context) {
        final ChainRunner runner = new ChainRunner(
            new InterceptorInstances(PLUGINS, new HookGuard()));
        final Processor<byte[], byte[], byte[], byte[]> processor =
            ChainProcessors.create(routing, resolver, runner, Acknowledgements.immediate(runner));
        processor.init(bytes(context));
        return processor;
    }

    @Benchmark
    public Record<?, ?> passThrough() {
        passThrough.process(new Record<>(KEY, VALUE, TIMESTAMP, ingressHeaders));
        return passThroughContext.last;
    }

    @Benchmark
    public Record<?, ?> emptyChain() {
        emptyChain.process(new Record<>(KEY, VALUE, TIMESTAMP, ingressHeaders));
        return emptyChainContext.last;
    }

    @Benchmark
    public Record<?, ?> oneNoopInterceptor() {
        oneInterceptor.process(new Record<>(KEY, VALUE, TIMESTAMP, ingressHeaders));
        return oneInterceptorContext.last;
    }

    @Benchmark
    public Record<?, ?> fiveInterceptors() {
        fiveInterceptors.process(new Record<>(KEY, orders.next(), TIMESTAMP, fiveHeaders));
        return fiveInterceptorsContext.last;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ProcessorContext<byte[], byte[]> bytes(final LastForward context) {
        return (ProcessorContext) context;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A context that keeps the last forwarded record instead of capturing every forward in a list. Typed with
     * {@code Object}: a type variable cannot be bounded by {@code byte[]}, so forward cannot be overridden otherwise.
     */
    private static final class LastForward extends MockProcessorContext<Object, Object> {

        Record<?, ?> last;
        private long offset = 41;
        private final Optional<RecordMetadata> metadata = Optional.of(new RecordMetadata() {
            @Override
            public String topic() {
                return INGRESS;
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return offset;
            }
        });

        LastForward() {
            setRecordMetadata(INGRESS, 0, offset);
        }

        /** Each record one offset further, as a partition's are: the chain runner times one record in 16 by offset. */
        @Override
        public Optional<RecordMetadata> recordMetadata() {
            offset++;
            return metadata;
        }

        @Override
        public <K, V> void forward(final Record<K, V> record) {
            last = record;
        }

        @Override
        public <K, V> void forward(final Record<K, V> record, final String childName) {
            last = record;
        }
    }

    /** The baseline: forwards each record to the egress child as it is. */
    private static final class PassThrough implements Processor<byte[], byte[], byte[], byte[]> {

        private ProcessorContext<byte[], byte[]> context;

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            context.forward(record, ChainProcessors.EGRESS);
        }
    }

    /** A plugin whose interceptor has only the no-op defaults. */
    private static final class Noop implements InterceptorFactory {

        static final String TYPE = "noop";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String description() {
            return "does nothing";
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return new Interceptor() {
            };
        }
    }
}

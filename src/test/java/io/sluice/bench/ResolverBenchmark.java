package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Headers;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;
import io.sluice.resolution.Chain;
import io.sluice.resolution.Context;
import io.sluice.resolution.IndexedResolver;
import io.sluice.topology.IdentityHeaders;

/**
 * The resolver on the hot path. Goals: a cached lookup at 20M ops/s or more on one core; an uncached resolution
 * under 2 µs with 100k bindings.
 *
 * <p>Lookups use contexts equal to, but not the same objects as, the cached ones: each record builds its own
 * context, as the chain processor does. Its username and groups come from {@link IdentityHeaders}, whose cache
 * hands out the same strings and group set for the same header bytes; its topic (from the consumer) and a route's
 * fixed vcluster are the same strings every time. {@code cachedLookupFromHeaders} includes reading the identity
 * headers of the record (the whole per-record cost); {@code cachedLookupFreshStrings} copies every string (the
 * worst case: nothing shared with the cached key).
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class ResolverBenchmark {

    private static final int CONTEXTS = 1024;

    /**
     * Prints the share of each iteration the benchmark thread spent on a CPU: on a shared machine, wall-clock
     * figures include the time other processes held the cores, and this says how much.
     */
    @State(Scope.Thread)
    public abstract static class OnCpu {

        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long wallStart;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void startIteration() {
            wallStart = System.nanoTime();
            cpuStart = threads.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            final double share = (double) (threads.getCurrentThreadCpuTime() - cpuStart) / (System.nanoTime() - wallStart);
            System.out.printf("(benchmark thread on CPU %.0f%% of the iteration) ", 100 * share);
        }
    }

    @State(Scope.Thread)
    public static class Cached extends OnCpu {

        @Param({"10000"})
        int bindings;

        IndexedResolver resolver;
        /** As records build them: vcluster (from the route), topic (from the consumer) and identity (cached) shared. */
        Context[] contexts;
        /** The identity headers of those records. */
        Headers[] headers;
        /** Every string a fresh copy: the worst case, e.g. a vcluster taken from a header. */
        Context[] freshContexts;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            final Workload workload = new Workload(bindings, 7);
            resolver = new IndexedResolver();
            resolver.load(workload.bindings());
            final Context[] generated = workload.contexts(CONTEXTS);
            final Context[] warm = new Context[CONTEXTS];
            headers = new Headers[CONTEXTS];
            for (int i = 0; i < CONTEXTS; i++) {
                headers[i] = Workload.headers(generated[i]);
                warm[i] = Workload.fromHeaders(generated[i], headers[i]);
                resolver.resolve(warm[i]);
            }
            contexts = new Context[CONTEXTS];
            freshContexts = new Context[CONTEXTS];
            for (int i = 0; i < CONTEXTS; i++) {
                contexts[i] = Workload.fromHeaders(generated[i], headers[i]);
                freshContexts[i] = Workload.copy(warm[i]);
            }
            workload.report(resolver, warm);
        }
    }

    @State(Scope.Thread)
    public static class Uncached extends OnCpu {

        @Param({"1000", "10000", "100000"})
        int bindings;

        IndexedResolver resolver;
        Context[] contexts;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            final Workload workload = new Workload(bindings, 7);
            // A bound of 0 disables the cache: every call takes the miss path (read lock, index, resolution).
            resolver = new IndexedResolver(0);
            resolver.load(workload.bindings());
            contexts = workload.contexts(CONTEXTS);
            workload.report(resolver, contexts);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Chain cachedLookup(final Cached state) {
        final int i = state.next;
        state.next = (i + 1) & (CONTEXTS - 1);
        return state.resolver.resolve(state.contexts[i]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Chain cachedLookupFromHeaders(final Cached state) {
        final int i = state.next;
        state.next = (i + 1) & (CONTEXTS - 1);
        final Context shape = state.contexts[i];
        final IdentityHeaders.Identity identity = IdentityHeaders.read(state.headers[i], false);
        return state.resolver.resolve(new Context(shape.vcluster(), identity.username(), identity.groups(),
            shape.topic()));
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Chain cachedLookupFreshStrings(final Cached state) {
        final int i = state.next;
        state.next = (i + 1) & (CONTEXTS - 1);
        return state.resolver.resolve(state.freshContexts[i]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Chain uncachedResolution(final Uncached state) {
        final int i = state.next;
        state.next = (i + 1) & (CONTEXTS - 1);
        return state.resolver.resolve(state.contexts[i]);
    }

    /**
     * A multi-tenant spread: a few global interceptors, global teams, and per vcluster a handful of vcluster
     * bindings, vcluster-qualified groups and users (half of them vcluster-qualified). About one binding in five
     * has a topics regex. Interceptor names come from a pool of 40, so overrides happen.
     */
    static final class Workload {

        private static final int NAMES = 40;
        private static final int TEAMS = 20;
        private static final int GROUPS = 30;
        private static final int USERS_PER_VCLUSTER = 30;
        private static final List<String> TOPICS = List.of("orders\\..*", "payments\\.in", "tenant-.*\\.in");

        private final Random random;
        private final List<Binding> bindings = new ArrayList<>();
        private final Set<BindingId> ids = new HashSet<>();
        private final int vclusters;

        Workload(final int size, final long seed) {
            random = new Random(seed);
            for (int i = 0; i < 8; i++) {
                add("interceptor-" + i, BindingScope.GLOBAL);
            }
            for (int t = 0; t < TEAMS; t++) {
                addSome(2, new BindingScope(null, "team-" + t, null));
            }
            for (int g = 0; g < GROUPS; g++) {
                addSome(2, new BindingScope(null, "group-" + g, null));
            }
            int v = 0;
            while (bindings.size() < size) {
                final String vcluster = "vcluster-" + v++;
                addSome(5, new BindingScope(vcluster, null, null));
                for (int g = 0; g < 8; g++) {
                    addSome(2, new BindingScope(vcluster, "group-" + random.nextInt(GROUPS), null));
                }
                for (int u = 0; u < USERS_PER_VCLUSTER; u++) {
                    final String user = vcluster + "-user-" + u;
                    addSome(1 + random.nextInt(2), new BindingScope(random.nextBoolean() ? vcluster : null, null, user));
                }
            }
            vclusters = v;
            bindings.subList(size, bindings.size()).clear();
        }

        List<Binding> bindings() {
            return bindings;
        }

        /** Users of a random vcluster (one in ten anonymous), in two groups and a team, on an ingress topic. */
        Context[] contexts(final int count) {
            final String[] topics = {"orders.in", "payments.in", "tenant-a.in", "audit.in"};
            final Context[] contexts = new Context[count];
            for (int i = 0; i < count; i++) {
                final int v = random.nextInt(vclusters);
                final String user = random.nextInt(10) == 0 ? null
                    : "vcluster-" + v + "-user-" + random.nextInt(USERS_PER_VCLUSTER);
                final Set<String> groups = Set.of("group-" + random.nextInt(GROUPS / 2),
                    "group-" + (GROUPS / 2 + random.nextInt(GROUPS / 2)), "team-" + random.nextInt(TEAMS));
                contexts[i] = new Context("vcluster-" + v, user, groups, topics[random.nextInt(topics.length)]);
            }
            return contexts;
        }

        /** A record's identity headers: sluice-user and sluice-groups (comma-separated). */
        static Headers headers(final Context context) {
            final Headers headers = new RecordHeaders();
            if (context.username() != null) {
                headers.add(IdentityHeaders.USER, context.username().getBytes(StandardCharsets.UTF_8));
            }
            headers.add(IdentityHeaders.GROUPS, String.join(",", context.groups()).getBytes(StandardCharsets.UTF_8));
            return headers;
        }

        /** An equal context as the chain processor builds it for a record with these headers. */
        static Context fromHeaders(final Context context, final Headers headers) {
            final IdentityHeaders.Identity identity = IdentityHeaders.read(headers, false);
            return new Context(context.vcluster(), identity.username(), identity.groups(), context.topic());
        }

        /** An equal context sharing no object with the original, as if decoded from another record's headers. */
        static Context copy(final Context context) {
            final Set<String> groups = Set.copyOf(context.groups().stream().map(String::new).toList());
            return new Context(new String(context.vcluster()),
                context.username() == null ? null : new String(context.username()), groups,
                new String(context.topic()));
        }

        void report(final IndexedResolver resolver, final Context[] contexts) {
            long interceptors = 0;
            for (final Context context : contexts) {
                interceptors += resolver.resolve(context).interceptors().size();
            }
            System.out.printf("%n%d bindings, %d vclusters, %.1f interceptors per chain on average%n",
                resolver.stats().bindings(), vclusters, (double) interceptors / contexts.length);
        }

        private void addSome(final int count, final BindingScope scope) {
            for (int i = 0; i < count; i++) {
                add("interceptor-" + random.nextInt(NAMES), scope);
            }
        }

        private void add(final String name, final BindingScope scope) {
            // One binding per id, as in the config topic: a repeat would only replace the first.
            if (!ids.add(new BindingId(name, scope))) {
                return;
            }
            final Pattern topics = random.nextInt(5) == 0 ? Pattern.compile(TOPICS.get(random.nextInt(TOPICS.size()))) : null;
            bindings.add(new Binding(new BindingId(name, scope), "header-injection", random.nextInt(100), topics, null,
                Json.object().put("scope", scope.toString())));
        }
    }
}

package io.sluice.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

import io.sluice.avro.AckEvent;
import io.sluice.avro.BindingLevel;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.Scope;
import io.sluice.cli.SluiceCommand;
import io.sluice.testkit.AckEvents;
import io.sluice.testkit.KafkaCluster;

/**
 * How fast {@code sluice bindings impact} reads a real acks topic: N acknowledgement events (default 1,000,000) of
 * C distinct contexts (default 10,000: 2,000 users in 10 vclusters and 50 groups, on 5 topics) on one in-JVM broker
 * (4 partitions, zstd as Sluice creates the audit topics), 200 bindings in force, a change to 20 of them; every
 * event carries a chain of five. Runs the command in-process three times (the first includes JIT warm-up) and prints
 * what it reports. Not a timed test.
 * <pre>
 * mvn -B -Pbench -DskipTests test-compile exec:exec@impact -Dimpact.args="1000000 2000"
 * </pre>
 * Arguments: the event count (default 1000000), the user count (default 2000).
 */
public final class ImpactBench {

    private static final String ACKS = "_sluice_audit_acks";
    private static final String CONFIG = "_sluice_bindings";
    private static final int TOPICS = 5;
    private static final int VCLUSTERS = 10;
    private static final int GROUPS = 50;

    /** Every event carries a chain of five, as real events do: the reader decodes it, then ignores it. */
    private static final List<ChainEntry> CHAIN = List.of(
        entry("global-0", BindingLevel.GLOBAL, new Scope(null, null, null), 10),
        entry("global-1", BindingLevel.GLOBAL, new Scope(null, null, null), 11),
        entry("tenant", BindingLevel.VCLUSTER, new Scope("v1", null, null), 50),
        entry("team", BindingLevel.GROUP, new Scope(null, "g1", null), 60),
        entry("team-1", BindingLevel.GROUP, new Scope("v1", "g1", null), 80));

    private ImpactBench() {
    }

    public static void main(final String[] args) throws Exception {
        final int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int users = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        final KafkaCluster cluster = new KafkaCluster();
        cluster.beforeAll(null);
        try {
            final Path dir = Files.createTempDirectory("impact-bench");
            final Path before = Files.writeString(dir.resolve("before.yaml"), bindings(false));
            final Path after = Files.writeString(dir.resolve("after.yaml"), bindings(true));
            run(cluster, "bindings", "apply", "-f", before.toString());
            cluster.createTopic(ACKS, 4, Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
            final long writeStart = System.nanoTime();
            AckEvents.write(cluster.bootstrapServers(), ACKS, events(events, users));
            System.out.printf(Locale.ROOT, "wrote %,d acknowledgement events (%,d users x %d topics) in %.1f s%n", events,
                users, TOPICS, (System.nanoTime() - writeStart) / 1e9);
            for (int round = 1; round <= 3; round++) {
                final long start = System.nanoTime();
                final String[] result = run(cluster, "bindings", "impact", "-f", after.toString(), "--since", "1h");
                final double seconds = (System.nanoTime() - start) / 1e9;
                final List<String> lines = result[0].lines().toList();
                System.out.printf(Locale.ROOT, "round %d: %.2f s wall (%,.0f events/s); %s%n  %s%n", round, seconds,
                    events / seconds, result[1].strip(), lines.get(lines.size() - 1));
            }
            final Runtime runtime = Runtime.getRuntime();
            System.gc();
            System.out.printf(Locale.ROOT, "heap: max %d MB, used after the runs and a GC %d MB%n",
                runtime.maxMemory() >> 20, (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        } finally {
            cluster.afterAll(null);
        }
    }

    private static ChainEntry entry(final String name, final BindingLevel level, final Scope scope, final int priority) {
        return new ChainEntry(name, "header-injection", level, scope, priority);
    }

    private static String[] run(final KafkaCluster cluster, final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(cluster.bootstrapServers());
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", args) + ": exit " + status + ": " + err);
        }
        return new String[] {out.toString(), err.toString()};
    }

    /** Event i: user i mod users, on topic (i / users) mod 5; each user has a vcluster and two groups. */
    private static Iterator<AckEvent> events(final int count, final int users) {
        final Instant now = Instant.now();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public AckEvent next() {
                final int i = next++;
                final int user = i % users;
                return AckEvent.newBuilder(AckEvents.event("v" + user % VCLUSTERS, "user-" + user,
                    List.of("g" + user % GROUPS, "g" + (user * 7 + 3) % GROUPS), "topic-" + (i / users) % TOPICS + ".in",
                    i, now.minusMillis(count - i))).setChain(CHAIN).build();
            }
        };
    }

    /**
     * 200 bindings: 10 global, one per vcluster (10), per group (50), per vcluster and group (100), per user (30);
     * the change: 10 group-level priorities, 5 topic filters, 5 configs.
     */
    private static String bindings(final boolean changed) {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            text.append(binding("global-" + i, null, 10 + i, null, "g" + i));
        }
        for (int v = 0; v < VCLUSTERS; v++) {
            text.append(binding("tenant", "{vcluster: v" + v + "}", 50, changed && v < 5 ? "topic-[0-2]\\\\.in" : null,
                "v" + v));
        }
        for (int g = 0; g < GROUPS; g++) {
            text.append(binding("team", "{group: g" + g + "}", changed && g < 10 ? 70 : 60, null, "g" + g));
            text.append(binding("team-" + g % 2, "{vcluster: v" + g % VCLUSTERS + ", group: g" + g + "}", 80, null,
                changed && g < 5 ? "changed" : "t" + g));
            text.append(binding("team-" + (g % 2 + 2), "{vcluster: v" + (g + 1) % VCLUSTERS + ", group: g" + g + "}", 81,
                null, "t" + g));
        }
        for (int u = 0; u < 30; u++) {
            text.append(binding("user", "{username: user-" + u * 13 + "}", 90, null, "u" + u));
        }
        return text.toString();
    }

    private static String binding(final String name, final String scope, final int priority, final String topics,
                                  final String value) {
        return "---\napiVersion: sluice/v1\nkind: Interceptor\nmetadata:\n  name: " + name + "\n"
            + (scope == null ? "" : "  scope: " + scope + "\n")
            + "spec:\n  plugin: header-injection\n  priority: " + priority + "\n"
            + (topics == null ? "" : "  topics: \"" + topics + "\"\n")
            + "  config:\n    headers: {x-" + name + ": \"" + value + "\"}\n";
    }
}

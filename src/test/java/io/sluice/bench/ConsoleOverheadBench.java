package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.AbstractMap;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.Provenance;
import io.sluice.cli.ConsoleSources;
import io.sluice.console.Browser;
import io.sluice.console.ConsoleServer;
import io.sluice.console.MetricsHistory;
import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.EmbeddedBroker;
import io.sluice.runtime.SluiceApp;
import io.sluice.runtime.Topics;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

/**
 * What an open console costs the data path: records/s of Sluice (exactly-once, audit on, the example bindings'
 * chain) without a console, and with the console served by the instance and a headless Chromium on its audit
 * page (live updates every 2 s), in one run, alternating. One JVM holds the embedded broker and the application;
 * the browser is a process on the same machine. Each run is a fresh application id reading the same preloaded
 * records; the rate is taken between 10 % and 90 % of them on egress (read_committed end offsets). The first
 * {@code --warmup} runs (default 2) warm the JIT up and are not counted; the rounds then alternate which goes first.
 * <pre>
 * mvn -B -Pbench -DskipTests test-compile exec:exec@console -Dconsole.args="--records 300000 --rounds 3"
 * </pre>
 * {@code --viewer http} (or no browser at hand) polls the audit API as the page does instead: the console's own cost,
 * without the browser's rendering on the same cores.
 */
public final class ConsoleOverheadBench {

    private static final int PARTITIONS = 4;
    private static final String INGRESS = "orders.in";
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] GROUPS = {"", "analysts", "auditors", "analysts,auditors"};

    private static int records = 300_000;
    private static int rounds = 3;
    /** Who looks at the audit page: a headless Chromium, or an HTTP client polling its API as the page does. */
    private static String viewer = "browser";
    private static int warmup = 2;
    private static EmbeddedBroker broker;
    private static Admin admin;
    private static Path work;
    private static int runs;

    private ConsoleOverheadBench() {
    }

    private record Measured(double perSecond, double cpuPerRecord) {
    }

    public static void main(final String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--viewer" -> viewer = args[i + 1];
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                    + " (--records N, --rounds N, --warmup N, --viewer browser|http)");
            }
        }
        work = Files.createTempDirectory("sluice-console-bench");
        Browser browser = null;
        try {
            broker = EmbeddedBroker.start(EmbeddedBroker.Settings.of(freePortPair(), work.resolve("broker")));
            admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
            admin.createTopics(List.of(new NewTopic(INGRESS, PARTITIONS, (short) 1))).all().get();
            preload();
            if (viewer.equals("browser")) {
                try {
                    browser = Browser.startOrSkip();
                } catch (final RuntimeException | Error e) {
                    System.err.println("no browser (" + e.getMessage() + "): polling the audit API as the page does");
                }
            }
            System.err.printf("%,d records preloaded; %d cores; load average %s; console viewer: %s%n", records,
                Runtime.getRuntime().availableProcessors(), loadAverage(),
                browser == null ? "HTTP poller" : "headless Chromium on /audit");
            // JIT warm-up dominates the first runs of a JVM: these are not counted.
            for (int i = 0; i < warmup; i++) {
                System.err.println("warm-up run (not counted):");
                run(false, browser);
            }
            final List<double[]> pairs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // Alternate which goes first, so a drift of the machine's load falls on both alike.
                final boolean consoleFirst = round % 2 == 0;
                final Measured first = run(consoleFirst, browser);
                final Measured second = run(!consoleFirst, browser);
                final Measured off = consoleFirst ? second : first;
                final Measured on = consoleFirst ? first : second;
                pairs.add(new double[] {off.perSecond(), on.perSecond(), off.cpuPerRecord(), on.cpuPerRecord()});
            }
            System.out.printf("%nround  console off rec/s  console on rec/s  on/off  cpu us/rec off  on%n");
            double ratios = 0;
            for (int i = 0; i < pairs.size(); i++) {
                final double[] pair = pairs.get(i);
                ratios += pair[1] / pair[0];
                System.out.printf("%5d  %,17.0f  %,16.0f  %6.3f  %14.1f  %4.1f%n", i + 1, pair[0], pair[1],
                    pair[1] / pair[0], pair[2], pair[3]);
            }
            System.out.printf("mean on/off: %.3f; viewer: %s; load average at the end: %s%n", ratios / pairs.size(),
                browser == null ? "HTTP poller" : "headless Chromium", loadAverage());
        } finally {
            if (browser != null) {
                browser.close();
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            if (broker != null) {
                broker.close();
            }
            delete(work);
        }
    }

    private static Measured run(final boolean withConsole, final Browser browser) throws Exception {
        final String id = "run" + (++runs);
        final TopologyFile topology = new TopologyFile(id, id + "_bindings",
            new TopologyFile.AuditTopics(id + "_acks", id + "_commits"), id + "_rejected",
            ProcessingGuarantee.EXACTLY_ONCE_V2, List.of(new Route(INGRESS, id + ".out", "payments", false)));
        admin.createTopics(List.of(Topics.configTopic(topology.configTopic()))).all().get();
        final PluginRegistry plugins = PluginRegistry.load();
        publishExampleBindings(topology.configTopic(), plugins);
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        final AtomicBoolean stop = new AtomicBoolean();
        Thread poller = null;
        try (SluiceApp app = new SluiceApp(topology, client, work.resolve("state").resolve(id), plugins).start();
             ConsoleSources sources = withConsole ? ConsoleSources.ofInstance(app, client, new BindingRecords(plugins),
                 MetricsHistory.DEFAULT_INTERVAL) : null;
             ConsoleServer console = withConsole ? ConsoleServer.start(sources, "127.0.0.1", 0) : null) {
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("Sluice not running: " + app.streams().state());
            }
            if (console != null) {
                if (browser != null) {
                    browser.driver.get(console.url() + "audit");
                } else {
                    poller = poll(console.url() + "api/audit/acks", stop);
                }
            }
            final Measured measured = measure(id + ".out");
            System.err.printf("%-6s console %-3s %,10.0f rec/s %6.1f us cpu/rec  load %s%n", id,
                withConsole ? "on" : "off", measured.perSecond(), measured.cpuPerRecord(), loadAverage());
            return measured;
        } finally {
            stop.set(true);
            if (poller != null) {
                poller.join();
            }
            if (browser != null) {
                browser.driver.get("about:blank");
            }
        }
    }

    /** What the audit page does when no browser is at hand: the latest events every 2 s. */
    private static Thread poll(final String url, final AtomicBoolean stop) {
        final Thread thread = new Thread(() -> {
            final HttpClient http = HttpClient.newHttpClient();
            while (!stop.get()) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(2000);
                } catch (final InterruptedException e) {
                    return;
                } catch (final Exception e) {
                    System.err.println("poll failed: " + e);
                }
            }
        }, "audit-page-poller");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void publishExampleBindings(final String configTopic, final PluginRegistry plugins) throws Exception {
        final BindingResources.Result bindings = BindingResources.read(Path.of("topologies/examples/bindings"), plugins);
        if (!bindings.isValid()) {
            throw new IllegalStateException("the example bindings are invalid: " + bindings.problems());
        }
        final List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        bindings.bindings().forEach(binding -> entries.add(new AbstractMap.SimpleImmutableEntry<>(
            BindingRecords.key(binding.id()), BindingRecords.value(binding, Provenance.UNKNOWN))));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(), new ByteArraySerializer())) {
            for (final Map.Entry<byte[], byte[]> entry : entries) {
                producer.send(new ProducerRecord<>(configTopic, entry.getKey(), entry.getValue())).get();
            }
        }
    }

    private static void preload() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5,
            ProducerConfig.BATCH_SIZE_CONFIG, 65_536), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                final String user = USERS[i % USERS.length];
                final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(INGRESS, i % PARTITIONS,
                    ("order-" + i).getBytes(StandardCharsets.UTF_8), ("{\"id\":" + i + ",\"user\":\"" + user
                        + "\",\"note\":\"" + "x".repeat(150) + "\"}").getBytes(StandardCharsets.UTF_8));
                record.headers().add("sluice-user", user.getBytes(StandardCharsets.UTF_8));
                final String groups = GROUPS[i % GROUPS.length];
                if (!groups.isEmpty()) {
                    record.headers().add("sluice-groups", groups.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record);
            }
            producer.flush();
        }
    }

    /** Polls the egress end offsets; the rate between 10 % and 90 % of the records, interpolated. */
    private static Measured measure(final String egress) throws Exception {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(egress, p), OffsetSpec.latest());
        }
        final ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        final long low = records / 10;
        final long high = records - records / 10;
        double tLow = -1;
        double tHigh = -1;
        double cpuLow = -1;
        double cpuHigh = -1;
        long previousCount = 0;
        long previousTime = System.nanoTime();
        long previousCpu = os.getProcessCpuTime();
        final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (tHigh < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(egress + ": " + previousCount + " of " + records + " after 5 min");
            }
            long count = 0;
            try {
                count = admin.listOffsets(latest, options).all().get().values().stream()
                    .mapToLong(info -> info.offset()).sum();
            } catch (final java.util.concurrent.ExecutionException e) {
                // the egress topic is not there yet
            }
            final long now = System.nanoTime();
            final long cpu = os.getProcessCpuTime();
            if (tLow < 0 && count >= low) {
                tLow = interpolate(previousTime, previousCount, now, count, low);
                cpuLow = interpolate(previousCpu, previousCount, cpu, count, low);
            }
            if (tLow >= 0 && count >= high) {
                tHigh = interpolate(previousTime, previousCount, now, count, high);
                cpuHigh = interpolate(previousCpu, previousCount, cpu, count, high);
            }
            previousCount = count;
            previousTime = now;
            previousCpu = cpu;
            Thread.sleep(5);
        }
        return new Measured((high - low) / ((tHigh - tLow) / 1e9), (cpuHigh - cpuLow) / 1e3 / (high - low));
    }

    private static double interpolate(final long t0, final long c0, final long t1, final long c1, final long target) {
        return c1 == c0 ? t1 : t0 + (double) (t1 - t0) * (target - c0) / (c1 - c0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (final java.io.IOException e) {
            return "?";
        }
    }

    private static int freePortPair() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            final int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (java.net.ServerSocket next = new java.net.ServerSocket(port + 1)) {
                return port;
            } catch (final java.io.IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }

    private static void delete(final Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}

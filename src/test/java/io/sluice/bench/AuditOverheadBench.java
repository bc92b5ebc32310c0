package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.SluiceApp;
import io.sluice.testkit.KafkaCluster;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.TopologyFile;

/**
 * What the audit costs: Sluice's throughput with and without the audit, on one in-JVM broker, in one run — each
 * run a fresh application id reading the same ingress topic from the start (4 partitions, 200-byte values), with an
 * empty chain. Also compares the audit topics with and without topic-level zstd compression (bytes on disk).
 * Not a timed test: run it, read the table.
 * <pre>
 * mvn -B -o -DskipTests test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-Xmx2g -cp %classpath io.sluice.bench.AuditOverheadBench 500000 exactly_once_v2"
 * </pre>
 * Arguments: the record count (default 500000), the processing guarantee (default exactly_once_v2).
 */
public final class AuditOverheadBench {

    private static final String INGRESS = "bench.in";
    private static final int PARTITIONS = 4;
    private static final int VALUE_BYTES = 200;

    private AuditOverheadBench() {
    }

    /** One measured run. */
    private record Run(String label, boolean audit, String compression) {
    }

    private record Result(Run run, long records, double seconds, long auditBytes) {
        double perSecond() {
            return records / seconds;
        }
    }

    public static void main(final String[] args) throws Exception {
        final int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        final ProcessingGuarantee guarantee = args.length > 1 && args[1].equals("at_least_once")
            ? ProcessingGuarantee.AT_LEAST_ONCE : ProcessingGuarantee.EXACTLY_ONCE_V2;
        final KafkaCluster cluster = new KafkaCluster();
        cluster.beforeAll(null);
        final Path state = Files.createTempDirectory("sluice-bench");
        try {
            cluster.createTopic(INGRESS, PARTITIONS);
            produce(cluster.bootstrapServers(), records);
            final List<Run> runs = List.of(
                new Run("warm-up (audit off, not counted)", false, "producer"),
                new Run("audit off", false, "producer"),
                new Run("audit on, audit topics uncompressed", true, "producer"),
                new Run("audit on, audit topics zstd", true, "zstd"),
                new Run("audit on, audit topics lz4", true, "lz4"),
                new Run("audit off", false, "producer"),
                new Run("audit on, audit topics uncompressed", true, "producer"),
                new Run("audit on, audit topics zstd", true, "zstd"),
                new Run("audit on, audit topics lz4", true, "lz4"));
            final List<Result> results = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                results.add(measure(cluster, state, "bench" + i, runs.get(i), records, guarantee));
                System.err.printf("%-40s %,10.0f records/s%n", runs.get(i).label(), results.get(i).perSecond());
            }
            print(results.subList(1, results.size()), records, guarantee);
        } finally {
            cluster.afterAll(null);
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result measure(final KafkaCluster cluster, final Path state, final String id, final Run run,
                                  final int records, final ProcessingGuarantee guarantee) throws Exception {
        final TopologyFile topology = new TopologyFile(id, id + "_bindings",
            new TopologyFile.AuditTopics(id + "_acks", id + "_commits"), id + "_rejected", guarantee,
            List.of(new Route(INGRESS, id + ".out", null, false)));
        final Map<String, String> compression = Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, run.compression());
        cluster.createTopic(topology.auditTopics().acks(), 1, compression);
        cluster.createTopic(topology.auditTopics().commits(), 1, compression);
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        // The end is seen in the committed offsets: commit as often as exactly-once does by default, in both modes.
        client.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        final SluiceApp app = new SluiceApp(topology, client, state.resolve(id), PluginRegistry.load());
        if (!run.audit()) {
            app.withoutAudit();
        }
        try (app) {
            app.start();
            if (!app.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("not running: " + app.streams().state());
            }
            final long start = System.nanoTime();
            awaitCommitted(cluster, id, records);
            final double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(run, records, seconds, run.audit() ? bytesOnDisk(cluster.admin(),
                topology.auditTopics().acks()) : 0);
        }
    }

    /** Processing is done when the application's committed ingress offsets reach the end. */
    private static void awaitCommitted(final KafkaCluster cluster, final String group, final long records)
        throws Exception {
        final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            final Map<TopicPartition, OffsetAndMetadata> committed = cluster.admin()
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            final long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            if (total >= records) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the application did not finish within 10 minutes");
    }

    private static long bytesOnDisk(final Admin admin, final String topic) throws Exception {
        // Log sizes are reported a moment after the write.
        Thread.sleep(1_000);
        long bytes = 0;
        final Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(0)).allDescriptions().get();
        for (final Map<String, LogDirDescription> byDir : dirs.values()) {
            for (final LogDirDescription dir : byDir.values()) {
                for (final Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(topic)) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    private static void produce(final String bootstrapServers, final int records) {
        final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        final byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        final String[] users = {"alice", "bob", "carol", "dave"};
        final AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(INGRESS, null, value);
                record.headers().add("sluice-user", users[i % users.length].getBytes());
                producer.send(record, (metadata, failure) -> {
                    if (failure != null) {
                        failed.compareAndSet(null, failure);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing the ingress records failed", failed.get());
        }
    }

    private static void print(final List<Result> results, final int records, final ProcessingGuarantee guarantee) {
        System.out.printf("%nAudit overhead: %,d records of %d bytes, %d partitions, %s, one stream thread, "
            + "broker in the same JVM, %d cores%n", records, VALUE_BYTES, PARTITIONS, guarantee.streamsValue(),
            Runtime.getRuntime().availableProcessors());
        System.out.printf("%-40s %14s %16s%n", "run", "records/s", "acks on disk");
        for (final Result result : results) {
            System.out.printf("%-40s %,14.0f %16s%n", result.run().label(), result.perSecond(),
                result.auditBytes() == 0 ? "-" : String.format("%,d B (%.0f B/event)", result.auditBytes(),
                    (double) result.auditBytes() / records));
        }
    }
}

package io.sluice.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.topology.Routing;
import io.sluice.topology.TopicRoute;
import io.sluice.topology.TopologyFile;

/**
 * Creates the topics Sluice needs when they are missing: its own (the compacted config topic, the audit and
 * rejected topics) and the egress topic of every routed ingress topic, with the ingress topic's partition count
 * (down chains of routes too: the egress of an egress that another route reads).
 * Pattern routes get new ingress topics over time: {@link #watch} looks for them periodically. Creating is
 * idempotent (a topic created meanwhile by someone else is fine); partition counts not given here are the
 * broker's defaults, and replication is the topology's {@code replication} (unset: the broker's defaults).
 * The {@link Admin} stays the caller's.
 */
public final class Topics implements AutoCloseable {

    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(2);
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private final Admin admin;
    private final Routing routing;
    private final TopologyFile.Replication replication;
    private ScheduledExecutorService watcher;
    /** The watcher's last failure, logged once rather than every pass; only the watcher thread uses it. */
    private String lastFailure;

    public Topics(final Admin admin, final Routing routing) {
        this.admin = admin;
        this.routing = routing;
        this.replication = routing.topology().replication();
    }

    /** The config topic's definition, for everyone who creates it ({@code sluice bindings apply} too). */
    public static NewTopic configTopic(final String name) {
        // Compacted: the latest record per binding identity is the binding; a tombstone deletes it.
        return new NewTopic(name, Optional.empty(), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** The key topic: compacted, the latest record per data key id is the key; a tombstone shreds it. */
    public static NewTopic keyTopic(final String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty())
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * Creates the missing topics of Sluice and the egress topics of the routed topics that exist now, and returns
     * once the broker describes them (a client started next finds them).
     *
     * @return the topics this call created
     * @throws StartupException when the cluster cannot be reached or refuses to create a topic
     */
    public List<String> ensure() {
        final TopologyFile topology = routing.topology();
        final List<NewTopic> own = new ArrayList<>(List.of(configTopic(topology.configTopic()),
            auditTopic(topology.auditTopics().acks()), auditTopic(topology.auditTopics().commits()),
            defaults(topology.rejectedTopic())));
        if (!topology.keyrings().isEmpty()) {
            own.add(keyTopic(topology.keyTopic()));
        }
        try {
            checkReplicasFit();
            final List<String> created = new ArrayList<>(create(own));
            created.addAll(createMissingEgress());
            awaitDescribed(created);
            return created;
        } catch (final ExecutionException e) {
            throw new StartupException("cannot list or describe topics: " + StartupException.firstLine(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while creating Sluice's topics", e);
        }
    }

    /** From now on, every {@code interval}, creates the egress topics of routed topics that appeared. */
    public synchronized void watch(final Duration interval) {
        if (watcher != null) {
            throw new IllegalStateException("already watching");
        }
        watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "sluice-topic-watcher");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::watchOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the watcher; the Admin is left open. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
    }

    /** One pass of the watcher: failures are logged, never thrown, so that the next pass runs. */
    private void watchOnce() {
        try {
            createMissingEgress().forEach(topic -> LOG.info("Created egress topic {}", topic));
            lastFailure = null;
        } catch (final ExecutionException | RuntimeException e) {
            final String failure = e instanceof StartupException ? e.getMessage() : StartupException.firstLine(e);
            if (!failure.equals(lastFailure)) {
                LOG.warn("Cannot create egress topics for new ingress topics (retrying): {}", failure);
            }
            lastFailure = failure;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Creates the egress of every existing routed topic whose egress does not exist yet — and, where routes form a
     * chain, the egress of those egress topics in turn, in the same pass (each with the partitions of the topic it
     * is made from).
     */
    private List<String> createMissingEgress() throws ExecutionException, InterruptedException {
        final Set<String> existing = new HashSet<>(admin.listTopics().names().get());
        final Map<String, Integer> partitions = new HashMap<>();
        final List<String> created = new ArrayList<>();
        Set<String> from = Set.copyOf(existing);
        // Each round creates one hop further down the chains; a chain has at most one hop per route.
        for (int round = 0; round <= routing.topology().routes().size() && !from.isEmpty(); round++) {
            final Map<String, List<String>> ingressByMissingEgress = new TreeMap<>();
            for (final String topic : from) {
                routing.route(topic).map(TopicRoute::egress).filter(egress -> !existing.contains(egress))
                    .ifPresent(egress -> ingressByMissingEgress.computeIfAbsent(egress, key -> new ArrayList<>()).add(topic));
            }
            if (ingressByMissingEgress.isEmpty()) {
                break;
            }
            final List<String> unknown = ingressByMissingEgress.values().stream().flatMap(Collection::stream)
                .filter(topic -> !partitions.containsKey(topic)).distinct().toList();
            if (!unknown.isEmpty()) {
                partitions.putAll(partitionCounts(unknown));
            }
            final List<NewTopic> egress = new ArrayList<>();
            // Several ingress topics may share an egress: it gets the most partitions, so that it has every
            // partition number one of them has.
            ingressByMissingEgress.forEach((topic, ingress) -> {
                final int count = ingress.stream().mapToInt(partitions::get).max().orElseThrow();
                partitions.put(topic, count);
                egress.add(new NewTopic(topic, Optional.of(count), Optional.empty()));
            });
            final List<String> made = create(egress);
            created.addAll(made);
            existing.addAll(ingressByMissingEgress.keySet());
            from = ingressByMissingEgress.keySet();
        }
        return created;
    }

    /**
     * A replication factor larger than the cluster would fail every topic creation with Kafka's own message, and
     * the broker's answer to it can take the whole request timeout: say it once, before anything is created.
     */
    private void checkReplicasFit() throws ExecutionException, InterruptedException {
        if (replication.factor() == null) {
            return;
        }
        final int brokers = admin.describeCluster().nodes().get().size();
        if (replication.factor() > brokers) {
            throw new StartupException("replication.factor " + replication.factor() + " in the topology is more than "
                + "the " + brokers + " broker" + (brokers == 1 ? "" : "s") + " of the cluster; lower it or add brokers");
        }
    }

    /** A created topic reaches the broker's metadata a moment after the controller confirms it. */
    private void awaitDescribed(final List<String> topics) throws ExecutionException, InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        final long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get();
                return;
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private Map<String, Integer> partitionCounts(final List<String> topics) throws ExecutionException, InterruptedException {
        final Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        final Map<String, Integer> counts = new TreeMap<>();
        descriptions.forEach((topic, description) -> counts.put(topic, description.partitions().size()));
        return counts;
    }

    /** Creates the topics; one that exists already is not an error. Returns those created; throws the first failure. */
    private List<String> create(final List<NewTopic> topics) throws ExecutionException, InterruptedException {
        final List<String> created = new ArrayList<>();
        StartupException failure = null;
        final List<NewTopic> replicated = topics.stream().map(this::replicated).toList();
        for (final Map.Entry<String, KafkaFuture<Void>> result : admin.createTopics(replicated).values().entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException) && failure == null) {
                    failure = new StartupException("cannot create the topic " + result.getKey() + ": "
                        + StartupException.firstLine(e), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return created;
    }

    /** The topic with the topology's replication: its replica count and {@code min.insync.replicas}, where set. */
    private NewTopic replicated(final NewTopic topic) {
        final NewTopic result = new NewTopic(topic.name(),
            topic.numPartitions() < 1 ? Optional.empty() : Optional.of(topic.numPartitions()),
            replication.factor() == null ? Optional.empty() : Optional.of(replication.factor().shortValue()));
        final Map<String, String> configs = new TreeMap<>(topic.configs() == null ? Map.of() : topic.configs());
        if (replication.minInsyncReplicas() != null) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, replication.minInsyncReplicas().toString());
        }
        return result.configs(configs);
    }

    /**
     * An audit topic: compressed with zstd by the broker. Audit events share the stream threads' producer with the
     * egress records, so the producer cannot compress them alone. Measured (AuditOverheadBench, broker and Sluice
     * sharing 2 cores): an acknowledgement event takes 31 bytes on disk instead of 131 (lz4: 60), for 0-25% less
     * throughput than uncompressed — the broker's recompression, which on a real cluster is not Sluice's CPU.
     * Change it on the topic ({@code compression.type}) to trade differently; Sluice sets it only on creation.
     */
    static NewTopic auditTopic(final String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty())
            .configs(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
    }

    private static NewTopic defaults(final String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty());
    }
}

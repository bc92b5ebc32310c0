package io.sluice.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A Kafka node (KRaft, broker and controller in one) inside this JVM, for {@code sluice run} without
 * {@code --bootstrap-servers} and for {@code sluice broker}: a single-node cluster by default, or one node of a
 * local multi-node cluster ({@link Quorum}). Data stays in the data folder across restarts; storage is formatted
 * only on the first start, with the production feature levels of this Kafka version (transactions v2, which
 * {@code exactly_once_v2} uses). Otherwise it keeps Kafka's broker defaults, automatic topic creation included,
 * except for replication: a single node hosts one replica of everything; in a cluster of N nodes, topics get
 * min(3, N) replicas and min(2, N) in-sync replicas by default, as a production cluster would set them.
 *
 * <p>It listens on {@code localhost} only: it has no authentication. The broker's threads are not daemons, so
 * {@link #close()} it, in a {@code finally}, or the JVM does not exit.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final int DEFAULT_PORT = 9092;
    public static final Path DEFAULT_DATA_DIR = Path.of(".sluice");
    public static final String HOST = "localhost";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int SINGLE_NODE_ID = 1;
    private static final Pattern VOTER = Pattern.compile("(\\d{1,9})@localhost:(\\d{1,5})");
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Where the broker listens and keeps its data.
     *
     * @param port           the port clients connect to
     * @param controllerPort the KRaft controller's port; {@link #of(int, Path)} takes {@code port + 1}
     * @param dataDir        Sluice's data folder; Kafka's log lives in its {@code kafka} subfolder
     * @param quorum         the cluster this node belongs to
     */
    public record Settings(int port, int controllerPort, Path dataDir, Quorum quorum) {

        public Settings {
            if (quorum.controllerPort() != controllerPort) {
                throw new IllegalArgumentException("controller port " + controllerPort + " is not the quorum's "
                    + quorum.controllerPort());
            }
        }

        /** A single-node cluster. */
        public Settings(final int port, final int controllerPort, final Path dataDir) {
            this(port, controllerPort, dataDir, Quorum.single(controllerPort));
        }

        public static Settings defaults() {
            return of(DEFAULT_PORT, DEFAULT_DATA_DIR);
        }

        public static Settings of(final int port, final Path dataDir) {
            return new Settings(port, port + 1, dataDir);
        }

        /** One node of a local cluster: its controller listens on the port {@code quorum} gives it. */
        public static Settings of(final int port, final Path dataDir, final Quorum quorum) {
            return new Settings(port, quorum.controllerPort(), dataDir, quorum);
        }

        /** Kafka's log folder (log.dirs, and the metadata log). */
        public Path logDir() {
            return dataDir.toAbsolutePath().normalize().resolve("kafka");
        }

        public String bootstrapServers() {
            return HOST + ":" + port;
        }
    }

    /**
     * The KRaft controller quorum a node belongs to: a static voter set on {@code localhost}, every node a broker
     * and a voter. Every node of one cluster is started with the same voters; the cluster id is derived from them,
     * so that each node formats its own storage for the same cluster without being told an id.
     *
     * @param nodeId          this node's id
     * @param controllerPorts each voter's controller port, by node id
     */
    public record Quorum(int nodeId, SortedMap<Integer, Integer> controllerPorts) {

        public Quorum {
            controllerPorts = Collections.unmodifiableSortedMap(new TreeMap<>(controllerPorts));
            if (!controllerPorts.containsKey(nodeId)) {
                throw new StartupException("node id " + nodeId + " is not one of the controller quorum's voters "
                    + controllerPorts.keySet());
            }
        }

        /** The usual embedded broker: node 1, its own and only controller. */
        public static Quorum single(final int controllerPort) {
            return new Quorum(SINGLE_NODE_ID, new TreeMap<>(Map.of(SINGLE_NODE_ID, controllerPort)));
        }

        /**
         * Parses Kafka's {@code controller.quorum.voters} form, {@code 1@localhost:9093,2@localhost:9095}.
         *
         * @throws StartupException naming what is wrong
         */
        public static Quorum parse(final int nodeId, final String voters) {
            final SortedMap<Integer, Integer> ports = new TreeMap<>();
            for (final String voter : voters.split(",", -1)) {
                final Matcher matcher = VOTER.matcher(voter.strip());
                if (!matcher.matches()) {
                    throw new StartupException("controller quorum voter '" + voter.strip() + "' is not ID@localhost:PORT");
                }
                final int port = Integer.parseInt(matcher.group(2));
                if (port < 1 || port > 65535 || ports.put(Integer.parseInt(matcher.group(1)), port) != null) {
                    throw new StartupException("controller quorum voter '" + voter.strip()
                        + "' has a port out of range or a node id given twice");
                }
            }
            return new Quorum(nodeId, ports);
        }

        public int controllerPort() {
            return controllerPorts.get(nodeId);
        }

        public int size() {
            return controllerPorts.size();
        }

        /** {@code controller.quorum.voters}. */
        public String voters() {
            final StringBuilder voters = new StringBuilder();
            controllerPorts.forEach((id, port) -> voters.append(voters.length() == 0 ? "" : ",")
                .append(id).append('@').append(HOST).append(':').append(port));
            return voters.toString();
        }

        /** A single node gets a random id; the nodes of a cluster share one made from the voters. */
        String clusterId() {
            if (size() == 1) {
                return Uuid.randomUuid().toString();
            }
            final UUID uuid = UUID.nameUUIDFromBytes(voters().getBytes(StandardCharsets.UTF_8));
            return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
        }
    }

    private final KafkaRaftServer server;
    private final Settings settings;
    private final boolean formatted;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(final KafkaRaftServer server, final Settings settings, final boolean formatted) {
        this.server = server;
        this.settings = settings;
        this.formatted = formatted;
    }

    /**
     * Starts the broker and returns once it answers clients.
     *
     * @throws StartupException with a one-line message when a port is taken or invalid, the data folder is not
     *                          usable (e.g. locked by another broker), or the broker does not come up
     */
    public static EmbeddedBroker start(final Settings settings) {
        final long start = System.nanoTime();
        checkPort("broker", settings.port());
        checkPort("controller", settings.controllerPort());
        if (settings.port() == settings.controllerPort()) {
            throw new StartupException("cannot start the embedded broker: the broker and controller ports are both "
                + settings.port());
        }
        checkDataDirIsFree(settings.logDir());
        KafkaRaftServer server = null;
        try {
            final KafkaConfig config = new KafkaConfig(serverProperties(settings), false);
            final boolean formatted = formatIfNew(settings.logDir(), settings.quorum());
            server = new KafkaRaftServer(config, Time.SYSTEM); // reads meta.properties: fails on a foreign folder
            server.startup();
            awaitClients(settings.bootstrapServers());
            LOG.info("Embedded Kafka broker ready on {} in {} ms (data in {})", settings.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - start).toMillis(), settings.logDir());
            return new EmbeddedBroker(server, settings, formatted);
        } catch (final RuntimeException e) {
            if (server != null) {
                stop(server);
            }
            throw e instanceof StartupException ? e
                : new StartupException("cannot start the embedded broker (data in " + settings.logDir() + "): "
                    + StartupException.firstLine(e), e);
        }
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public Settings settings() {
        return settings;
    }

    /** Whether this start formatted new storage (the first start on this data folder). */
    public boolean formatted() {
        return formatted;
    }

    /** Stops the broker and waits until its threads are gone. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stop(server);
        }
    }

    private static void stop(final KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Map<String, Object> serverProperties(final Settings settings) {
        final String controller = HOST + ":" + settings.controllerPort();
        final Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(settings.quorum().nodeId()));
        // A static voter set (not a dynamic quorum formatted with --standalone): the voters' addresses come
        // from this config on every start, so a restart with other ports on the same data folder still works.
        props.put("controller.quorum.voters", settings.quorum().voters());
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", "PLAINTEXT://" + settings.bootstrapServers() + "," + CONTROLLER_LISTENER + "://" + controller);
        props.put("advertised.listeners", "PLAINTEXT://" + settings.bootstrapServers());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", settings.logDir().toString());
        // Internal topics as many replicas as the nodes can hold, up to Kafka's defaults (3 replicas, 2 in sync);
        // in a cluster, other topics get the same by default.
        final String replicas = Integer.toString(Math.min(3, settings.quorum().size()));
        final String inSync = Integer.toString(Math.min(2, settings.quorum().size()));
        props.put("offsets.topic.replication.factor", replicas);
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", inSync);
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", inSync);
        if (settings.quorum().size() > 1) {
            props.put("default.replication.factor", replicas);
            props.put("min.insync.replicas", inSync);
        }
        // As in Kafka's own quickstart server.properties: no 3 s wait before a new group's first rebalance.
        props.put("group.initial.rebalance.delay.ms", "0");
        // A restarted broker stays fenced until the session of its previous run expires (9 s by default). While
        // fenced, its transaction coordinator already runs: a transaction that times out then is aborted without
        // markers on the partitions this broker leads (their leader looks unavailable and is skipped), and the
        // transaction's records are later committed with the next one: duplicates under exactly-once. A short
        // session ends the fenced state about 4 s after start, well before the coordinator's first check for
        // timed-out transactions (Kafka's default interval, 10 s after start; a shorter interval reopens the race).
        props.put("broker.session.timeout.ms", "4000");
        props.put("broker.heartbeat.interval.ms", "1000");
        return props;
    }

    /** Formats the storage unless {@code meta.properties} says it was (formatting twice fails). */
    private static boolean formatIfNew(final Path logDir, final Quorum quorum) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return false;
        }
        final String clusterId = quorum.clusterId();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(quorum.nodeId())
                .setClusterId(clusterId)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .run(); // the latest production metadata version and the default level of each feature
        } catch (final IOException e) {
            throw new StartupException("cannot create the data folder " + logDir + ": " + StartupException.firstLine(e), e);
        } catch (final Exception e) {
            throw new StartupException("cannot format the data folder " + logDir + ": " + StartupException.firstLine(e), e);
        }
        LOG.info("Formatted new Kafka storage in {} (cluster id {})", logDir, clusterId);
        return true;
    }

    /** Checked before starting: the broker would fail later, with a stack trace and threads left running. */
    private static void checkPort(final String role, final int port) {
        if (port < 1 || port > 65535) {
            throw new StartupException("cannot start the embedded broker: " + role + " port " + port
                + " is not between 1 and 65535");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Kafka binds: a closed connection in TIME_WAIT does not block
            socket.bind(new InetSocketAddress(HOST, port));
        } catch (final IOException e) {
            throw new StartupException("cannot start the embedded broker: " + role + " port " + port + " on " + HOST
                + " is already in use");
        }
    }

    /**
     * Checked before starting: Kafka takes the same lock only after its controller has started on the folder's
     * metadata log, which is the running broker's, and fails with a stack trace.
     */
    private static void checkDataDirIsFree(final Path logDir) {
        final Path lockFile = logDir.resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw dataDirInUse(logDir);
            }
        } catch (final OverlappingFileLockException e) {
            throw dataDirInUse(logDir); // locked by a broker in this JVM
        } catch (final IOException e) {
            throw new StartupException("cannot use the data folder " + logDir + ": " + StartupException.firstLine(e), e);
        }
    }

    private static StartupException dataDirInUse(final Path logDir) {
        return new StartupException("cannot start the embedded broker: its data folder " + logDir
            + " is in use by another broker");
    }

    /** Returns once an Admin client sees this node in the cluster. */
    private static void awaitClients(final String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            final int timeoutMs = (int) READY_TIMEOUT.toMillis();
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new StartupException("the embedded broker did not answer clients on " + bootstrapServers
                + " within " + READY_TIMEOUT.toSeconds() + " s: " + StartupException.firstLine(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the embedded broker", e);
        }
    }
}

package io.sluice.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * A single-node Kafka (KRaft, broker and controller in one) inside this JVM, for {@code sluice run} without
 * {@code --bootstrap-servers} and for {@code sluice broker}. Data stays in the data folder across restarts;
 * storage is formatted only on the first start, with the production feature levels of this Kafka version
 * (transactions v2, which {@code exactly_once_v2} uses). Otherwise it keeps Kafka's broker defaults, automatic
 * topic creation included, with replication factor 1 for the internal topics a single node can host.
 *
 * <p>It listens on {@code localhost} only: it has no authentication. The broker's threads are not daemons, so
 * {@link #close()} it, in a {@code finally}, or the JVM does not exit.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final int DEFAULT_PORT = 9092;
    public static final Path DEFAULT_DATA_DIR = Path.of(".sluice");
    public static final String HOST = "localhost";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Where the broker listens and keeps its data.
     *
     * @param port           the port clients connect to
     * @param controllerPort the KRaft controller's port; {@link #of(int, Path)} takes {@code port + 1}
     * @param dataDir        Sluice's data folder; Kafka's log lives in its {@code kafka} subfolder
     */
    public record Settings(int port, int controllerPort, Path dataDir) {

        public static Settings defaults() {
            return of(DEFAULT_PORT, DEFAULT_DATA_DIR);
        }

        public static Settings of(final int port, final Path dataDir) {
            return new Settings(port, port + 1, dataDir);
        }

        /** Kafka's log folder (log.dirs, and the metadata log). */
        public Path logDir() {
            return dataDir.toAbsolutePath().normalize().resolve("kafka");
        }

        public String bootstrapServers() {
            return HOST + ":" + port;
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
            final boolean formatted = formatIfNew(settings.logDir());
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
        props.put("node.id", Integer.toString(NODE_ID));
        // A static voter set (not a dynamic quorum formatted with --standalone): the voter's address comes
        // from this config on every start, so a restart with other ports on the same data folder still works.
        props.put("controller.quorum.voters", NODE_ID + "@" + controller);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", "PLAINTEXT://" + settings.bootstrapServers() + "," + CONTROLLER_LISTENER + "://" + controller);
        props.put("advertised.listeners", "PLAINTEXT://" + settings.bootstrapServers());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", settings.logDir().toString());
        // One node: internal topics cannot have the default three replicas.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
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
    private static boolean formatIfNew(final Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return false;
        }
        final String clusterId = Uuid.randomUuid().toString();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
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

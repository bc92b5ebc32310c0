package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.audit.AuditDecoder;
import io.sluice.avro.AckEvent;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.InterceptorError;
import io.sluice.console.MetricsHistory;
import io.sluice.topology.TopologyFile;

/**
 * The standalone console's counters, from the acknowledgement events written since it started: records by
 * outcome, and per interceptor the records whose chain held it and its hook errors. The time spent in hooks is not
 * in the events, so it stays unknown here. One thread follows the acks topic from its end. When the topic cannot be
 * read, the thread logs it and tries again from the end a little later, so the charts have a gap rather than the
 * console failing.
 */
final class AuditCounts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditCounts.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Properties client;
    private final TopologyFile topology;
    private final PrintWriter warnings;
    private final Thread thread;
    private volatile boolean closed;
    // Guarded by this: written by the follower, read by the sampler.
    private final Map<String, Long> outcomes = new HashMap<>();
    private final Map<String, long[]> interceptors = new HashMap<>();

    private AuditCounts(final Properties client, final TopologyFile topology, final PrintWriter warnings) {
        this.client = client;
        this.topology = topology;
        this.warnings = warnings;
        // Positioned before the console says it is ready: an event written after that is counted.
        final AuditTopicReader<AckEvent> first = open();
        this.thread = new Thread(() -> follow(first), "sluice-console-audit-counts");
        thread.setDaemon(true);
        thread.start();
    }

    static AuditCounts start(final Properties client, final TopologyFile topology, final PrintWriter warnings) {
        return new AuditCounts(client, topology, warnings);
    }

    /** The counters now, for {@link MetricsHistory}. */
    synchronized MetricsHistory.Sample sample() {
        final Map<String, MetricsHistory.Interceptor> perInterceptor = new HashMap<>();
        interceptors.forEach((name, counts) -> perInterceptor.put(name,
            new MetricsHistory.Interceptor(counts[0], MetricsHistory.Interceptor.UNKNOWN, counts[1])));
        return new MetricsHistory.Sample(System.currentTimeMillis(), outcomes, perInterceptor);
    }

    synchronized void count(final AckEvent event) {
        outcomes.merge(event.getOutcome().name(), 1L, Long::sum);
        for (final ChainEntry entry : event.getChain()) {
            interceptors.computeIfAbsent(entry.getName(), name -> new long[2])[0]++;
        }
        for (final InterceptorError error : event.getInterceptorErrors()) {
            interceptors.computeIfAbsent(error.getInterceptor(), name -> new long[2])[1]++;
        }
    }

    private void follow(final AuditTopicReader<AckEvent> first) {
        AuditTopicReader<AckEvent> reader = first;
        while (!closed) {
            if (reader == null) {
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (final InterruptedException e) {
                    break;
                }
                reader = open();
                continue;
            }
            try {
                reader.follow(this::count, () -> { }, () -> closed);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            } catch (final RuntimeException e) {
                warn("follow", e);
                reader.close();
                reader = null;
            }
        }
        if (reader != null) {
            reader.close();
        }
    }

    /** A reader at the topic's end, or {@code null} (logged) when the topic cannot be read now. */
    private AuditTopicReader<AckEvent> open() {
        AuditTopicReader<AckEvent> reader = null;
        try {
            reader = new AuditTopicReader<AckEvent>(client, topology.auditTopics().acks(),
                AuditDecoder.acks(AuditCommand.Options.registry(topology))::decode, warnings);
            return reader.fromEnd();
        } catch (final RuntimeException e) {
            if (reader != null) {
                reader.close();
            }
            warn("read", e);
            return null;
        }
    }

    private void warn(final String doing, final RuntimeException e) {
        LOG.warn("console: cannot {} the audit topic '{}' for the charts (trying again in {} s): {}", doing,
            topology.auditTopics().acks(), RETRY.toSeconds(), SluiceCommand.oneLine(e.getMessage()));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

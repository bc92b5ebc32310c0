package io.sluice.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaClientSupplier;

import io.sluice.avro.CommitEvent;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.InstanceHandle;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.CommittedOffset;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;

/**
 * The audit of one Sluice application: wraps the Kafka Streams clients so that every ingress record gets one
 * acknowledgement event and every offset commit one commit event, and the interceptor hooks that follow the
 * clients ({@code onConsume}, {@code onAcknowledgement}, {@code onCommit}) run. See the package documentation for
 * the design. Give Kafka Streams {@link #clientSupplier} and the topology {@link #acknowledgements()}.
 */
public final class Audit {

    private final TopologyFile topology;
    private final ChainRunner runner;
    private final InterceptorInstances instances;
    private final HookGuard errors;
    private final ConsumeHooks consumeHooks;
    private final Acknowledgements acknowledgements;
    /** Each stream thread's state; other threads (producer I/O) get an empty one that is never used. */
    private final ThreadLocal<StreamThreadAudit> threads = ThreadLocal.withInitial(StreamThreadAudit::new);
    /** Failed exactly-once commits, written by the next transaction of any thread (the failed one was aborted). */
    private final Queue<CommitEvent> failedCommits = new ConcurrentLinkedQueue<>();

    private final AuditFraming framing;

    public Audit(final Routing routing, final IndexedResolver resolver, final ChainRunner runner) {
        this(routing, resolver, runner, null);
    }

    /**
     * @param framing the schema ids of the events in a schema registry, to write them in its wire format; {@code null}
     *                for the single-object encoding
     */
    public Audit(final Routing routing, final IndexedResolver resolver, final ChainRunner runner,
                 final AuditFraming framing) {
        this.framing = framing;
        this.topology = routing.topology();
        this.runner = runner;
        this.instances = runner.instances();
        this.errors = instances.hookGuard();
        this.consumeHooks = new ConsumeHooks(routing, resolver, instances);
        this.acknowledgements = new AuditAcknowledgements(this);
    }

    /** Where the chain processor reports each record's outcome. */
    public Acknowledgements acknowledgements() {
        return acknowledgements;
    }

    /** Kafka Streams' clients from {@code base}, the producer and the main consumer wrapped for the audit. */
    public KafkaClientSupplier clientSupplier(final KafkaClientSupplier base) {
        return new AuditClientSupplier(base, this);
    }

    TopologyFile topology() {
        return topology;
    }

    AuditFraming framing() {
        return framing;
    }

    boolean exactlyOnce() {
        return topology.processingGuarantee() == ProcessingGuarantee.EXACTLY_ONCE_V2;
    }

    ChainRunner runner() {
        return runner;
    }

    ConsumeHooks consumeHooks() {
        return consumeHooks;
    }

    StreamThreadAudit thread() {
        return threads.get();
    }

    void commitFailed(final CommitEvent event) {
        failedCommits.add(event);
    }

    /** Takes the failed commits waiting to be written. */
    List<CommitEvent> takeFailedCommits() {
        if (failedCommits.isEmpty()) {
            return List.of();
        }
        final List<CommitEvent> taken = new ArrayList<>();
        for (CommitEvent event = failedCommits.poll(); event != null; event = failedCommits.poll()) {
            taken.add(event);
        }
        return taken;
    }

    /** Gives back failed commits that could not be written (their transaction failed too). */
    void returnFailedCommits(final Collection<CommitEvent> events) {
        failedCommits.addAll(events);
    }

    /** {@code onCommit} on every live interceptor instance, guarded. */
    void onCommit(final List<CommittedOffset> offsets, final Exception error) {
        for (final InstanceHandle handle : instances.live()) {
            final String name = handle.binding().name();
            errors.guard(name, "onCommit", () -> handle.interceptor().onCommit(offsets, error));
        }
    }

    /**
     * Committed offsets as the audit reports them: only partitions assigned to this instance (when the thread's
     * consumer is known), sorted by topic and partition; Kafka's convention, the next offset to consume.
     */
    static List<CommittedOffset> assigned(final Map<TopicPartition, OffsetAndMetadata> offsets,
                                          final AuditingConsumer consumer) {
        if (offsets.isEmpty()) {
            return List.of();
        }
        final Set<TopicPartition> assignment = consumer == null ? null : consumer.assignment();
        final List<CommittedOffset> committed = new ArrayList<>(offsets.size());
        offsets.forEach((partition, offset) -> {
            if (offset != null && (assignment == null || assignment.contains(partition))) {
                committed.add(new CommittedOffset(partition.topic(), partition.partition(), offset.offset()));
            }
        });
        committed.sort(Comparator.comparing(CommittedOffset::topic).thenComparingInt(CommittedOffset::partition));
        return List.copyOf(committed);
    }
}

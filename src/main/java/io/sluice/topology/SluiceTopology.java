package io.sluice.topology;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

import io.sluice.bindings.BindingRecords;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.resolution.IndexedResolver;

/**
 * The one place the Kafka Streams topology is built:
 * <pre>
 *   config topic ──► bindings (global store) ──► resolver index, interceptor instances
 *   ingress topics (one source per route) ──► chain ──► egress (topic per route)
 *                                                   └──► rejected topic
 * </pre>
 */
public final class SluiceTopology {

    /** Header of a record on the rejected topic: the interceptor that rejected it, or {@code sluice}. */
    public static final String REJECTED_BY_HEADER = "sluice-rejected-by";
    /** Header of a record on the rejected topic: why, for a person. */
    public static final String REASON_HEADER = "sluice-reason";

    /** The global store of the valid config records (raw key and value), readable with interactive queries. */
    public static final String BINDINGS_STORE = "sluice-bindings";
    static final String BINDINGS_SOURCE = "bindings-source";
    static final String BINDINGS_UPDATER = "bindings-updater";
    static final String INGRESS_SOURCE = "ingress";
    static final String CHAIN = "chain";
    static final String EGRESS_SINK = "egress";
    static final String REJECTED_SINK = "rejected";

    private SluiceTopology() {
    }

    /**
     * @param routing          the topology file's routes
     * @param records            decodes and validates config records
     * @param resolver         the resolver index the config updates feed and the chain reads
     * @param runner           runs chains; owns the interceptor instances
     * @param acknowledgements where record outcomes go (the auditing producer, or immediate in tests)
     * @param status           counters of config records
     */
    public static Topology build(final Routing routing, final BindingRecords records, final IndexedResolver resolver,
                                 final ChainRunner runner, final Acknowledgements acknowledgements,
                                 final ConfigStatus status) {
        return build(routing, records, resolver, runner, acknowledgements, status, RecordSizeLimits.NONE);
    }

    /**
     * @param limits the largest record each topic accepts: a larger one goes to the rejected topic as FAILED
     *               rather than failing its write (and, under exactly-once, the whole transaction)
     * @see #build(Routing, BindingRecords, IndexedResolver, ChainRunner, Acknowledgements, ConfigStatus)
     */
    public static Topology build(final Routing routing, final BindingRecords records, final IndexedResolver resolver,
                                 final ChainRunner runner, final Acknowledgements acknowledgements,
                                 final ConfigStatus status, final RecordSizeLimits limits) {
        final TopologyFile file = routing.topology();
        final Topology topology = new Topology();
        topology.addGlobalStore(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BINDINGS_STORE), Serdes.ByteArray(),
                Serdes.ByteArray()).withLoggingDisabled(),
            BINDINGS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), file.configTopic(),
            BINDINGS_UPDATER, () -> new BindingsUpdater(BINDINGS_STORE, records, resolver, runner.instances(), status));

        // One source for every route: Kafka Streams refuses overlapping source patterns.
        topology.addSource(INGRESS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
            routing.subscription());
        topology.addProcessor(CHAIN, () -> new ChainProcessor(routing, resolver, runner, acknowledgements, limits),
            INGRESS_SOURCE);
        final TopicNameExtractor<byte[], byte[]> egress =
            (key, value, context) -> routing.route(context.topic()).orElseThrow().egress();
        topology.addSink(EGRESS_SINK, egress, new ByteArraySerializer(), new ByteArraySerializer(), CHAIN);
        topology.addSink(REJECTED_SINK, file.rejectedTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
            CHAIN);
        return topology;
    }
}

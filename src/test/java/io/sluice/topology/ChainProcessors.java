package io.sluice.topology;

import org.apache.kafka.streams.processor.api.Processor;

import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.resolution.Resolver;

/** Test access to the package-private {@link ChainProcessor}, for benchmarks that drive it directly. */
public final class ChainProcessors {

    /** The name of the egress child the processor forwards to. */
    public static final String EGRESS = SluiceTopology.EGRESS_SINK;

    private ChainProcessors() {
    }

    public static Processor<byte[], byte[], byte[], byte[]> create(final Routing routing, final Resolver resolver,
                                                                  final ChainRunner runner,
                                                                  final Acknowledgements acknowledgements) {
        return new ChainProcessor(routing, resolver, runner, acknowledgements, RecordSizeLimits.NONE);
    }
}

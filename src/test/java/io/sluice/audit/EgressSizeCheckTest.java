package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.sluice.bindings.BindingRecords;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.chain.InterceptorInstances;
import io.sluice.chain.RecordOutcome;
import io.sluice.plugins.PluginRegistry;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.Outcome;
import io.sluice.topology.ConfigStatus;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.RecordSizeLimits;
import io.sluice.topology.Route;
import io.sluice.topology.Routing;
import io.sluice.topology.SluiceTopology;
import io.sluice.topology.TopologyFile;

/** A record the egress topic would refuse goes to the rejected topic as FAILED instead of failing its write. */
class EgressSizeCheckTest {

    private static final TopologyFile TOPOLOGY = new TopologyFile("size", "size_bindings",
        new TopologyFile.AuditTopics("size_acks", "size_commits"), "size_rejected", ProcessingGuarantee.EXACTLY_ONCE_V2,
        List.of(new Route("in", "out", null, false)));

    private final List<RecordOutcome> outcomes = new ArrayList<>();

    @Test
    void aRecordLargerThanTheEgressLimitIsRejectedAsFailedAndTheNextOneFlows() {
        // given: egress takes 1,000 bytes, the rejected topic more
        final RecordSizeLimits limits = topic -> topic.equals("out") ? 1_000 : 1_000_000;
        try (TopologyTestDriver driver = driver(limits)) {
            final TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                new ByteArraySerializer());
            final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("out", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
            final TestOutputTopic<byte[], byte[]> rejected = driver.createOutputTopic("size_rejected",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

            // when
            in.pipeInput(new byte[0], "x".repeat(2_000).getBytes(StandardCharsets.UTF_8));
            in.pipeInput(new byte[0], "small".getBytes(StandardCharsets.UTF_8));

            // then
            final TestRecord<byte[], byte[]> refused = rejected.readRecord();
            assertEquals(2_000, refused.value().length, "the record goes to the rejected topic unchanged");
            assertEquals("sluice", text(refused.headers().lastHeader("sluice-rejected-by").value()));
            assertTrue(text(refused.headers().lastHeader("sluice-reason").value())
                .contains("more than the 1000 bytes the egress topic 'out' accepts"));
            assertEquals("small", text(out.readValue()));
            assertEquals(Outcome.FAILED, outcomes.get(0).outcome());
            assertEquals(RecordOutcome.ErrorKind.EGRESS_WRITE_FAILED, outcomes.get(0).failure().kind());
            assertEquals(Outcome.ACKNOWLEDGED, outcomes.get(1).outcome());
        }
    }

    @Test
    void aRecordTooLargeEvenForTheRejectedTopicLeavesOnlyItsReasonThere() {
        // given
        final RecordSizeLimits limits = topic -> 1_000;
        try (TopologyTestDriver driver = driver(limits)) {
            final TestInputTopic<byte[], byte[]> in = driver.createInputTopic("in", new ByteArraySerializer(),
                new ByteArraySerializer());
            final TestOutputTopic<byte[], byte[]> rejected = driver.createOutputTopic("size_rejected",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

            // when
            in.pipeInput("key".getBytes(StandardCharsets.UTF_8), "x".repeat(2_000).getBytes(StandardCharsets.UTF_8));

            // then
            final TestRecord<byte[], byte[]> refused = rejected.readRecord();
            assertNull(refused.value());
            assertNull(refused.key());
            assertTrue(text(refused.headers().lastHeader("sluice-reason").value()).contains("also larger than"));
            assertEquals(Outcome.FAILED, outcomes.get(0).outcome());
        }
    }

    private TopologyTestDriver driver(final RecordSizeLimits limits) {
        final PluginRegistry plugins = PluginRegistry.load();
        final ChainRunner runner = new ChainRunner(new InterceptorInstances(plugins, new HookGuard()));
        final Acknowledgements immediate = Acknowledgements.immediate(runner);
        final Acknowledgements recording = new Acknowledgements() {
            @Override
            public void begin(final RecordOutcome outcome) {
                immediate.begin(outcome);
            }

            @Override
            public void end(final RecordOutcome outcome) {
                outcomes.add(outcome);
                immediate.end(outcome);
            }
        };
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "size");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(SluiceTopology.build(new Routing(TOPOLOGY), new BindingRecords(plugins),
            new IndexedResolver(), runner, recording, new ConfigStatus(), limits), properties);
    }

    private static String text(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

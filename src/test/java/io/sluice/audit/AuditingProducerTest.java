package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.CommitOutcome;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.ChainRecord;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.InterceptorErrors;
import io.sluice.chain.InterceptorInstances;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.Chain;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.RecordContext;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;

/**
 * The transaction life cycle of the auditing producer, on a {@link MockProducer}: what is written when, and when
 * the interceptors hear of it. The stream thread is this test's thread.
 */
class AuditingProducerTest {

    private static final TopicPartition IN_0 = new TopicPartition("in", 0);

    private final List<String> hooks = new ArrayList<>();
    private final MockProducer<byte[], byte[]> kafka = new MockProducer<>(false, null, new ByteArraySerializer(),
        new ByteArraySerializer());

    @Test
    void underExactlyOnceTheEventsCommitWithTheTransactionAndHooksFollowTheCommit() {
        // given
        final Fixture fixture = new Fixture(ProcessingGuarantee.EXACTLY_ONCE_V2);
        final AuditingProducer producer = fixture.producer();
        producer.initTransactions();
        producer.beginTransaction();

        // when: a record's write is forwarded, then the transaction commits
        final RecordOutcome outcome = fixture.forward(producer, 42, "out");
        assertEquals(List.of(), hooks, "nothing is acknowledged before the commit");
        producer.sendOffsetsToTransaction(Map.of(IN_0, new OffsetAndMetadata(43)), new ConsumerGroupMetadata("g"));
        producer.commitTransaction();

        // then
        assertTrue(kafka.transactionCommitted());
        final List<ProducerRecord<byte[], byte[]>> written = kafka.history();
        assertEquals(List.of("out", "t_acks", "t_commits"), written.stream().map(ProducerRecord::topic).toList());
        final AckEvent ack = AuditEvents.ACKS.decode(written.get(1).value());
        assertEquals(AckOutcome.ACKNOWLEDGED, ack.getOutcome());
        assertEquals("out", ack.getEgress().getTopic());
        assertEquals(0L, ack.getEgress().getOffset(), "the offset the broker (mock) assigned");
        assertEquals("default/alice", new String(written.get(1).key(), StandardCharsets.UTF_8));
        final CommitEvent commit = AuditEvents.COMMITS.decode(written.get(2).value());
        assertEquals(CommitOutcome.COMMITTED, commit.getOutcome());
        assertEquals(43L, commit.getOffsets().get(0).getOffset());
        assertEquals("t-StreamThread-1", commit.getInstance());
        assertEquals(List.of("ack in/0/42 ACKNOWLEDGED error=null", "commit [in-0@43] error=null"), hooks);
        assertEquals("out", outcome.egressTopic());
    }

    @Test
    void anAbortDropsTheEventsAndAcknowledgesWithAnErrorOnce() {
        // given
        final Fixture fixture = new Fixture(ProcessingGuarantee.EXACTLY_ONCE_V2);
        final AuditingProducer producer = fixture.producer();
        producer.initTransactions();
        producer.beginTransaction();
        fixture.forward(producer, 7, "out");

        // when
        producer.abortTransaction();
        producer.beginTransaction();
        fixture.forward(producer, 7, "out");
        producer.sendOffsetsToTransaction(Map.of(IN_0, new OffsetAndMetadata(8)), new ConsumerGroupMetadata("g"));
        producer.commitTransaction();

        // then: the aborted try left nothing; the second try has its events
        assertEquals(List.of("out", "t_acks", "t_commits"), kafka.history().stream().map(ProducerRecord::topic).toList());
        assertEquals(List.of("ack in/0/7 ACKNOWLEDGED error=NotAcknowledgedException", "ack in/0/7 ACKNOWLEDGED error=null",
            "commit [in-0@8] error=null"), hooks);
    }

    @Test
    void aFailedCommitIsAuditedByTheNextTransaction() {
        // given
        final Fixture fixture = new Fixture(ProcessingGuarantee.EXACTLY_ONCE_V2);
        final AuditingProducer producer = fixture.producer();
        producer.initTransactions();
        producer.beginTransaction();
        fixture.forward(producer, 1, "out");
        producer.sendOffsetsToTransaction(Map.of(IN_0, new OffsetAndMetadata(2)), new ConsumerGroupMetadata("g"));
        kafka.commitTransactionException = new KafkaException("the coordinator said no");

        // when
        assertThrows(KafkaException.class, producer::commitTransaction);
        kafka.commitTransactionException = null;
        producer.abortTransaction();
        producer.beginTransaction();
        fixture.forward(producer, 1, "out");
        producer.sendOffsetsToTransaction(Map.of(IN_0, new OffsetAndMetadata(2)), new ConsumerGroupMetadata("g"));
        producer.commitTransaction();

        // then
        final List<CommitEvent> commits = kafka.history().stream().filter(record -> record.topic().equals("t_commits"))
            .map(record -> AuditEvents.COMMITS.decode(record.value())).toList();
        assertEquals(List.of(CommitOutcome.COMMITTED, CommitOutcome.FAILED),
            commits.stream().map(CommitEvent::getOutcome).toList());
        assertTrue(commits.get(1).getError().getMessage().contains("the coordinator said no"));
        assertEquals("commit [in-0@2] error=KafkaException", hooks.get(1));
        assertEquals(1, kafka.history().stream().filter(record -> record.topic().equals("t_acks")).count());
    }

    @Test
    void underAtLeastOnceAnEventGoesOutOnceItsWriteIsAcknowledgedAndBeforeTheFlushReturns() {
        // given
        final Fixture fixture = new Fixture(ProcessingGuarantee.AT_LEAST_ONCE);
        final AuditingProducer producer = fixture.producer();
        fixture.forward(producer, 5, "out");
        assertEquals(List.of(), hooks, "the write is not acknowledged yet");

        // when
        producer.flush();

        // then
        assertEquals(List.of("out", "t_acks"), kafka.history().stream().map(ProducerRecord::topic).toList());
        assertEquals(List.of("ack in/0/5 ACKNOWLEDGED error=null"), hooks);
        assertTrue(kafka.flushed(), "the event itself is flushed before Streams commits the offsets");
    }

    @Test
    void aFailedWriteMakesTheRecordFailed() {
        // given
        final Fixture fixture = new Fixture(ProcessingGuarantee.AT_LEAST_ONCE);
        final AuditingProducer producer = fixture.producer();
        fixture.forward(producer, 9, "out");

        // when
        kafka.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
        producer.flush();

        // then
        final AckEvent ack = AuditEvents.ACKS.decode(kafka.history().get(1).value());
        assertEquals(AckOutcome.FAILED, ack.getOutcome());
        assertNull(ack.getEgress());
        assertEquals("EGRESS_WRITE_FAILED", ack.getError().getKind());
        assertTrue(ack.getError().getMessage().contains("RecordTooLargeException: too large"), ack.getError().getMessage());
        assertEquals(List.of("ack in/0/9 FAILED error=NotAcknowledgedException"), hooks);
    }

    @Test
    void aRecordWithoutClaimedWritesIsAcknowledgedAtOnce() {
        // given: no auditing producer on this thread (as under TopologyTestDriver)
        final Fixture fixture = new Fixture(ProcessingGuarantee.EXACTLY_ONCE_V2);
        final RecordOutcome outcome = fixture.outcome(3);

        // when
        fixture.acknowledgements().begin(outcome);
        fixture.acknowledgements().end(outcome);

        // then
        assertEquals(List.of("ack in/0/3 ACKNOWLEDGED error=null"), hooks);
    }

    /** An application with one global binding of a recording plugin. */
    private final class Fixture {
        private final Audit audit;
        private final ChainRunner runner;
        private final Chain chain;

        Fixture(final ProcessingGuarantee guarantee) {
            final TopologyFile topology = new TopologyFile("t", "t_bindings", new TopologyFile.AuditTopics("t_acks",
                "t_commits"), "t_rejected", guarantee, List.of(new Route("in", "out", null, false)));
            final io.sluice.plugins.PluginRegistry plugins = new io.sluice.plugins.PluginRegistry(List.of(
                new RecordingFactory()));
            runner = new ChainRunner(new InterceptorInstances(plugins, new InterceptorErrors()));
            audit = new Audit(new Routing(topology), new IndexedResolver(), runner);
            chain = new Chain(List.of(new Binding(new BindingId("rec", BindingScope.GLOBAL), "rec", 0, null, null,
                JsonNodeFactory.instance.objectNode())));
        }

        AuditingProducer producer() {
            return (AuditingProducer) new AuditClientSupplier(new org.apache.kafka.streams.processor.internals
                .DefaultKafkaClientSupplier() {
                @Override
                public org.apache.kafka.clients.producer.Producer<byte[], byte[]> getProducer(
                    final Map<String, Object> config) {
                    return kafka;
                }
            }, audit).getProducer(Map.of("client.id", "t-StreamThread-1-producer"));
        }

        io.sluice.chain.Acknowledgements acknowledgements() {
            return audit.acknowledgements();
        }

        RecordOutcome outcome(final long offset) {
            final RecordContext context = new RecordContext("default", "alice", Set.of(), "in", 0, offset, 0L);
            final RecordOutcome outcome = new RecordOutcome(context, chain);
            runner.runOnSend(new ChainRecord(context, null, new byte[] {1}, new RecordHeaders()), outcome);
            return outcome;
        }

        /** What the chain processor does: begin, the write reaches send on this thread, end. */
        RecordOutcome forward(final AuditingProducer producer, final long offset, final String topic) {
            final RecordOutcome outcome = outcome(offset);
            acknowledgements().begin(outcome);
            producer.send(new ProducerRecord<>(topic, new byte[] {1}), (metadata, failure) -> { });
            acknowledgements().end(outcome);
            return outcome;
        }
    }

    private final class RecordingFactory implements io.sluice.spi.InterceptorFactory {
        @Override
        public String type() {
            return "rec";
        }

        @Override
        public String description() {
            return "records hooks";
        }

        @Override
        public List<io.sluice.spi.ConfigField> configFields() {
            return List.of();
        }

        @Override
        public OnError defaultOnError() {
            return OnError.SKIP;
        }

        @Override
        public List<io.sluice.spi.ConfigProblem> validate(final com.fasterxml.jackson.databind.JsonNode config) {
            return List.of();
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return new Interceptor() {
                @Override
                public void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
                    hooks.add("ack " + acknowledgement.context().topic() + "/" + acknowledgement.context().partition()
                        + "/" + acknowledgement.context().offset() + " " + acknowledgement.outcome() + " error="
                        + (error == null ? null : error.getClass().getSimpleName()));
                }

                @Override
                public void onCommit(final List<CommittedOffset> offsets, final Exception error) {
                    hooks.add("commit " + offsets.stream().map(offset -> offset.topic() + "-" + offset.partition() + "@"
                        + offset.offset()).toList() + " error=" + (error == null ? null : error.getClass().getSimpleName()));
                }
            };
        }
    }
}

package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.Feature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaClusterIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @Test
    void producesAndConsumesRecordsWithHeaders() {
        // given
        KAFKA.createTopic("smoke", 3);

        // when
        KAFKA.produce("smoke", TestRecord.of("k1", "v1").header("sluice-user", "alice").header("sluice-groups", "a,b"),
            TestRecord.of("k2", "v2"));

        // then
        final List<ConsumerRecord<String, String>> records = KAFKA.consume("smoke", 2);
        assertEquals(Map.of("k1", "v1", "k2", "v2"),
            Map.of(records.get(0).key(), records.get(0).value(), records.get(1).key(), records.get(1).value()));
        final ConsumerRecord<String, String> first = records.get(0).key().equals("k1") ? records.get(0) : records.get(1);
        assertEquals("alice", KafkaClients.header(first, "sluice-user"));
        assertEquals("a,b", KafkaClients.header(first, "sluice-groups"));
        assertEquals(3, KAFKA.admin().describeTopics(List.of("smoke")).allTopicNames().toCompletionStage()
            .toCompletableFuture().join().get("smoke").partitions().size());
    }

    @Test
    void theClusterHasTheProductionTransactionVersion() throws Exception {
        // when
        final short level = KAFKA.admin().describeFeatures().featureMetadata().get()
            .finalizedFeatures().get(Feature.TRANSACTION_VERSION.featureName()).maxVersionLevel();

        // then
        assertEquals(2, level);
    }

    @Test
    void readCommittedSkipsAbortedTransactions() {
        // given
        KAFKA.createTopic("transactions", 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "smoke-tx"), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", "k", "aborted"));
            producer.flush(); // abortTransaction() drops unsent records: make the aborted one reach the log
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("transactions", "k", "committed"));
            producer.commitTransaction();
        }

        // when: both records are in the log, so a short wait shows what read_committed leaves out
        final List<String> all = KAFKA.consume("transactions", 2, Duration.ofSeconds(10), IsolationLevel.READ_UNCOMMITTED)
            .stream().map(ConsumerRecord::value).toList();
        final List<String> committed = KAFKA.consume("transactions", 2, Duration.ofSeconds(1), IsolationLevel.READ_COMMITTED)
            .stream().map(ConsumerRecord::value).toList();

        // then
        assertEquals(List.of("committed"), committed);
        assertEquals(List.of("aborted", "committed"), all);
    }
}

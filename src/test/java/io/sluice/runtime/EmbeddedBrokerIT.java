package io.sluice.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.Feature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.TestRecord;

class EmbeddedBrokerIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerIT.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void servesClientsAndKeepsItsDataAcrossRestarts() throws Exception {
        // given
        final EmbeddedBroker.Settings settings = EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir);

        // when: first start, formats the storage
        long start = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings)) {
            LOG.info("first start (format included) in {} ms", millisSince(start));
            assertTrue(broker.formatted());
            assertEquals("localhost:" + settings.port(), broker.bootstrapServers());
            KafkaClients.produce(broker.bootstrapServers(), "kept", List.of(
                TestRecord.of("k1", "v1").header("sluice-user", "alice"), TestRecord.of("k2", "v2")));
            assertEquals(List.of("v1", "v2"), values(KafkaClients.consume(broker.bootstrapServers(), "kept", 2, TIMEOUT,
                IsolationLevel.READ_UNCOMMITTED)));
            start = System.nanoTime();
        }
        LOG.info("close in {} ms", millisSince(start));

        // then: a restart on the same folder finds the data, without formatting again
        start = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings)) {
            LOG.info("restart in {} ms", millisSince(start));
            assertFalse(broker.formatted());
            final List<ConsumerRecord<String, String>> kept = KafkaClients.consume(broker.bootstrapServers(), "kept", 2,
                TIMEOUT, IsolationLevel.READ_UNCOMMITTED);
            assertEquals(List.of("v1", "v2"), values(kept));
            assertEquals("alice", KafkaClients.header(kept.get(0), "sluice-user"));
        }
    }

    @Test
    void hasProductionFeaturesAndTransactionsWorkOnOneNode() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // when
            final short transactionVersion = admin.describeFeatures().featureMetadata().get().finalizedFeatures()
                .get(Feature.TRANSACTION_VERSION.featureName()).maxVersionLevel();
            commitOneTransaction(broker.bootstrapServers(), "tx", "committed");

            // then
            assertEquals(2, transactionVersion);
            assertEquals(List.of("committed"), values(KafkaClients.consume(broker.bootstrapServers(), "tx", 1, TIMEOUT,
                IsolationLevel.READ_COMMITTED)));
            // Kafka's default, kept: producing to a missing topic creates it
            assertTrue(admin.listTopics().names().get().contains("tx"));
        }
    }

    @Test
    void restartsOnOtherPortsWithTheSameData() {
        // given
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir))) {
            KafkaClients.produce(broker.bootstrapServers(), "moved", List.of(TestRecord.of("k", "v")));
        }

        // when
        try (EmbeddedBroker broker = EmbeddedBroker.start(EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir))) {
            // then
            assertEquals(List.of("v"), values(KafkaClients.consume(broker.bootstrapServers(), "moved", 1, TIMEOUT,
                IsolationLevel.READ_UNCOMMITTED)));
        }
    }

    @Test
    void aTakenPortIsAOneLineError() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            // given
            taken.bind(new InetSocketAddress("localhost", 0));
            final int port = taken.getLocalPort();

            // when
            final StartupException brokerPort = assertThrows(StartupException.class,
                () -> EmbeddedBroker.start(new EmbeddedBroker.Settings(port, FreePorts.freePort(), dataDir)));
            final StartupException controllerPort = assertThrows(StartupException.class,
                () -> EmbeddedBroker.start(new EmbeddedBroker.Settings(FreePorts.freePort(), port, dataDir)));

            // then
            assertEquals("cannot start the embedded broker: broker port " + port + " on localhost is already in use",
                brokerPort.getMessage());
            assertEquals("cannot start the embedded broker: controller port " + port + " on localhost is already in use",
                controllerPort.getMessage());
        }
    }

    @Test
    void aDataFolderInUseByAnotherBrokerIsAOneLineError() {
        try (EmbeddedBroker running = EmbeddedBroker.start(EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir))) {
            // when
            final StartupException error = assertThrows(StartupException.class,
                () -> EmbeddedBroker.start(EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir)));

            // then
            assertEquals("cannot start the embedded broker: its data folder " + running.settings().logDir()
                + " is in use by another broker", error.getMessage());
            KafkaClients.produce(running.bootstrapServers(), "still-running", List.of(TestRecord.of("k", "v")));
        }
    }

    @Test
    void aDataFolderKafkaCannotReadIsAOneLineError() throws IOException {
        // given
        final EmbeddedBroker.Settings settings = EmbeddedBroker.Settings.of(FreePorts.freePortPair(), dataDir);
        Files.createDirectories(settings.logDir());
        Files.writeString(settings.logDir().resolve("meta.properties"), "version=1\nnode.id=7\n");

        // when
        final StartupException error = assertThrows(StartupException.class, () -> EmbeddedBroker.start(settings));

        // then
        assertEquals("cannot start the embedded broker (data in " + settings.logDir() + "): "
            + "No readable meta.properties files found.", error.getMessage());
    }

    private static void commitOneTransaction(final String bootstrapServers, final String topic, final String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-it"), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", value));
            producer.commitTransaction();
        }
    }

    private static List<String> values(final List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static long millisSince(final long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}

package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.ChainEntry;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.common.Json;
import io.sluice.runtime.SluiceApp;
import io.sluice.runtime.Topics;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.ProcessingGuarantee;
import io.sluice.topology.Route;
import io.sluice.topology.RouteHops;
import io.sluice.topology.TopologyFile;

/**
 * Routes that form a chain ({@code <p>.in -> <p>.mid -> <p>.out}) on a real broker, under both processing
 * guarantees: Sluice creates both egress topics in order, each hop is a record of its own with its own chain
 * and its own acknowledgement event pointing at the record it wrote, and the marks between the hops do not reach
 * the last egress.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RouteChainsIT {

    private static final int RECORDS = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void eachHopIsItsOwnRecordWithItsOwnChainAndAcknowledgementEvent(final ProcessingGuarantee guarantee)
        throws Exception {
        // given: a two-hop chain where only the first ingress exists, and one binding per hop
        final String prefix = "chain-" + guarantee.name().toLowerCase(Locale.ROOT).replace('_', '-');
        final String in = prefix + ".in";
        final String mid = prefix + ".mid";
        final String out = prefix + ".out";
        final TopologyFile topology = new TopologyFile(prefix, prefix + "_bindings",
            new TopologyFile.AuditTopics(prefix + "_acks", prefix + "_commits"), prefix + "_rejected", guarantee,
            List.of(new Route(in, mid, "payments", false), new Route(mid, out, "payments", false)));
        KAFKA.createTopic(in, 2);
        KafkaClients.await(KAFKA.admin().createTopics(List.of(Topics.configTopic(topology.configTopic()))).all());
        publish(topology.configTopic(), injects("first-hop", Pattern.quote(in), "x-first"),
            injects("second-hop", Pattern.quote(mid), "x-second"), injects("alice-everywhere", null, "x-alice"));

        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        client.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        try (SluiceApp app = new SluiceApp(topology, client, dir.resolve("state"), TestPlugins.registry()).start()) {
            assertTrue(app.awaitRunning(TIMEOUT), "Sluice reached RUNNING");
            assertEquals(2, KAFKA.awaitTopic(mid, Duration.ofSeconds(10)).partitions().size(), "the first egress");
            assertEquals(2, KAFKA.awaitTopic(out, Duration.ofSeconds(10)).partitions().size(), "the second egress");

            // when
            final List<TestRecord> records = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                records.add(TestRecord.of("k" + i, "v" + i).header("sluice-user", "alice"));
            }
            KAFKA.produce(in, records.toArray(TestRecord[]::new));

            // then: every record on both egress topics, the last one without Sluice's marks
            final List<ConsumerRecord<String, String>> middle = read(mid, RECORDS);
            final List<ConsumerRecord<String, String>> last = read(out, RECORDS);
            assertEquals(values(), middle.stream().map(ConsumerRecord::value).collect(Collectors.toCollection(TreeSet::new)));
            assertEquals(values(), last.stream().map(ConsumerRecord::value).collect(Collectors.toCollection(TreeSet::new)));
            middle.forEach(record -> assertEquals(prefix + "/" + in, KafkaClients.header(record, RouteHops.HEADER)));
            for (final ConsumerRecord<String, String> record : last) {
                assertEquals("x-first", KafkaClients.header(record, "x-first"));
                assertEquals("x-second", KafkaClients.header(record, "x-second"));
                assertNull(KafkaClients.header(record, RouteHops.HEADER), "no marks on the last egress");
            }

            // then: one acknowledgement event per hop of each record, with that hop's chain and egress
            final List<AckEvent> acks = acks(topology.auditTopics().acks(), 2 * RECORDS);
            assertEquals(2 * RECORDS, acks.size(), () -> "acknowledgement events: " + acks);
            assertEquals(2 * RECORDS, acks.stream().map(AckEvent::getEventId).distinct().count(), "one event per hop");
            assertHop(acks, in, mid, List.of("first-hop", "alice-everywhere"), middle);
            assertHop(acks, mid, out, List.of("second-hop", "alice-everywhere"), last);
            assertEquals(List.of(), KafkaClients.consume(KAFKA.bootstrapServers(), topology.rejectedTopic(), 1,
                Duration.ofSeconds(2), IsolationLevel.READ_COMMITTED), "nothing rejected");
        }
    }

    /** The events of one hop: ACKNOWLEDGED, as alice, with that chain, each at the record it wrote. */
    private static void assertHop(final List<AckEvent> acks, final String ingress, final String egress,
                                  final List<String> chain, final List<ConsumerRecord<String, String>> written) {
        final List<AckEvent> hop = acks.stream()
            .filter(ack -> ack.getIngress().getTopic().equals(ingress)).toList();
        assertEquals(RECORDS, hop.size(), () -> "events of the hop from " + ingress + ": " + hop);
        final Set<String> coordinates = written.stream()
            .map(record -> record.topic() + "-" + record.partition() + "@" + record.offset()).collect(Collectors.toSet());
        for (final AckEvent ack : hop) {
            assertEquals(AckOutcome.ACKNOWLEDGED, ack.getOutcome(), ack::toString);
            assertEquals("alice", ack.getContext().getUsername());
            assertEquals(chain, ack.getChain().stream().map(ChainEntry::getName).toList());
            assertEquals(egress, ack.getEgress().getTopic());
            assertTrue(coordinates.remove(egress + "-" + ack.getEgress().getPartition() + "@" + ack.getEgress().getOffset()),
                () -> "the event points at a record of " + egress + " no other event points at: " + ack);
        }
    }

    private static Set<String> values() {
        final Set<String> values = new TreeSet<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add("v" + i);
        }
        return values;
    }

    /** Exactly {@code count} records, read committed: waits for them, then reads the topic to its end (no more). */
    private static List<ConsumerRecord<String, String>> read(final String topic, final int count) {
        final List<ConsumerRecord<String, String>> records = KafkaClients.consume(KAFKA.bootstrapServers(), topic,
            count, TIMEOUT, IsolationLevel.READ_COMMITTED);
        assertEquals(count, records.size(), () -> "records on " + topic + " within " + TIMEOUT + ": " + records);
        return KafkaClients.consumeToEnd(KAFKA.bootstrapServers(), topic, TIMEOUT, IsolationLevel.READ_COMMITTED);
    }

    private static List<AckEvent> acks(final String topic, final int count) {
        final AuditDecoder<AckEvent> decoder = AuditDecoder.acks(null);
        final int first = KafkaClients.consumeBytes(KAFKA.bootstrapServers(), topic, count,
            record -> decoder.decode(record.value()).size(), TIMEOUT, IsolationLevel.READ_COMMITTED).stream()
            .mapToInt(record -> decoder.decode(record.value()).size()).sum();
        assertEquals(count, first, () -> "acknowledgement events within " + TIMEOUT);
        return KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(), topic, TIMEOUT, IsolationLevel.READ_COMMITTED)
            .stream()
            .flatMap(record -> decoder.decode(record.value()).stream()).toList();
    }

    /** A global header-injection binding adding {@code header: header}, on the topics {@code topics} matches. */
    private static Binding injects(final String name, final String topics, final String header) {
        final ObjectNode config = Json.object();
        config.putObject("headers").put(header, header);
        final BindingScope scope = name.startsWith("alice") ? new BindingScope(null, null, "alice") : BindingScope.GLOBAL;
        return new Binding(new BindingId(name, scope), "header-injection", name.startsWith("alice") ? 2 : 1,
            topics == null ? null : Pattern.compile(topics), null, config);
    }

    private static void publish(final String configTopic, final Binding... bindings) {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            for (final Binding binding : bindings) {
                producer.send(new ProducerRecord<>(configTopic, BindingRecords.key(binding.id()),
                    BindingRecords.value(binding, Provenance.UNKNOWN)));
            }
        }
    }
}

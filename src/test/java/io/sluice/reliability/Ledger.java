package io.sluice.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AvroCodec;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.testkit.KafkaClients;

/**
 * What a crash test checks afterwards: the egress records by the unique id in each value, and the acknowledgement
 * events by ingress coordinates — both as {@code read_committed} readers see them.
 */
final class Ledger {

    static final AvroCodec<AckEvent> ACKS = AvroCodec.of(AckEvent.class);
    static final AvroCodec<CommitEvent> COMMITS = AvroCodec.of(CommitEvent.class);

    private Ledger() {
    }

    static String id(final int i) {
        return String.format("rec-%06d", i);
    }

    /** Writes {@code count} records {@code {"id":"rec-…"}} at about {@code perSecond}, in a background thread. */
    static Producing produce(final String bootstrapServers, final String topic, final int count, final int perSecond) {
        final Producing producing = new Producing();
        producing.thread = new Thread(() -> {
            final Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
                final long start = System.nanoTime();
                Future<?> last = null;
                for (int i = 0; i < count && !producing.stopping; i++) {
                    final long due = start + (long) i * 1_000_000_000L / perSecond;
                    final long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    final ProducerRecord<String, String> record = new ProducerRecord<>(topic, "key-" + i,
                        "{\"id\":\"" + id(i) + "\"}");
                    record.headers().add("sluice-user", ("user-" + (i % 7)).getBytes(StandardCharsets.UTF_8));
                    last = producer.send(record);
                    producing.sent.incrementAndGet();
                }
                producer.flush();
                if (last != null) {
                    last.get();
                }
            } catch (final Exception e) {
                producing.failure = e;
            } finally {
                producing.done.set(true);
            }
        }, "ledger-producer");
        producing.thread.start();
        return producing;
    }

    static final class Producing {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicBoolean done = new AtomicBoolean();
        volatile Exception failure;
        volatile boolean stopping;
        Thread thread;

        /** Stops sending before {@code count} (at the next record) and waits for what was sent; returns how many. */
        int stop() throws InterruptedException {
            stopping = true;
            await();
            return sent.get();
        }

        void await() throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("producing failed", failure);
            }
        }
    }

    /** The ids whose counts differ, as {@code id: ingress count -> egress count}, for an assertion message. */
    static String differences(final Map<String, Integer> ingress, final Map<String, Integer> egress) {
        final java.util.TreeSet<String> ids = new java.util.TreeSet<>(ingress.keySet());
        ids.addAll(egress.keySet());
        final StringBuilder differences = new StringBuilder();
        for (final String id : ids) {
            final int in = ingress.getOrDefault(id, 0);
            final int out = egress.getOrDefault(id, 0);
            if (in != out) {
                differences.append(differences.length() == 0 ? "" : ", ").append(id).append(": ").append(in)
                    .append(" -> ").append(out);
            }
        }
        return differences.toString();
    }

    /**
     * Record ids (from the values) of a topic with how often each is there, reading until {@code expected} or the
     * timeout; {@code read_committed}.
     */
    static Map<String, Integer> recordIds(final String bootstrapServers, final String topic, final int expected,
                                          final Duration timeout) {
        final Map<String, Integer> ids = new HashMap<>();
        final List<ConsumerRecord<String, String>> records = KafkaClients.consume(bootstrapServers, topic,
            expected + 1, timeout, IsolationLevel.READ_COMMITTED);
        for (final ConsumerRecord<String, String> record : records) {
            final String value = record.value();
            final int at = value.indexOf("rec-");
            ids.merge(at < 0 ? value : value.substring(at, at + 10), 1, Integer::sum);
        }
        return ids;
    }

    /** Acknowledgement events, read_committed. */
    static List<AckEvent> acks(final String bootstrapServers, final String topic, final int expected,
                               final Duration timeout) {
        return KafkaClients.consumeBytes(bootstrapServers, topic, expected + 1, timeout, IsolationLevel.READ_COMMITTED)
            .stream().map(record -> ACKS.decode(record.value())).toList();
    }

    static List<CommitEvent> commits(final String bootstrapServers, final String topic, final Duration timeout) {
        return KafkaClients.consumeBytes(bootstrapServers, topic, Integer.MAX_VALUE, timeout,
            IsolationLevel.READ_COMMITTED).stream().map(record -> COMMITS.decode(record.value())).toList();
    }

    /** ACKNOWLEDGED events per ingress coordinate ({@code topic/partition/offset}). */
    static Map<String, Integer> acknowledgedPerIngress(final List<AckEvent> acks) {
        final Map<String, Integer> counts = new HashMap<>();
        for (final AckEvent ack : acks) {
            if (ack.getOutcome() == AckOutcome.ACKNOWLEDGED) {
                final TopicPartitionOffset in = ack.getIngress();
                counts.merge(in.getTopic() + "/" + in.getPartition() + "/" + in.getOffset(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Waits until {@code expected} egress records are there, then once more after a settle time for extras. */
    static Map<String, Integer> settledEgress(final String bootstrapServers, final String egress, final int expected) {
        recordIds(bootstrapServers, egress, expected - 1, Duration.ofSeconds(60));
        return recordIds(bootstrapServers, egress, expected, Duration.ofSeconds(3));
    }
}

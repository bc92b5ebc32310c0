package io.sluice.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import io.sluice.audit.AuditDecoder;
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

    /** Reads acknowledgement events as {@code sluice audit} does: one per record, or a batch's. */
    static final AuditDecoder<AckEvent> ACKS = AuditDecoder.acks(null);
    static final AvroCodec<CommitEvent> COMMITS = AvroCodec.of(CommitEvent.class);
    /** How long duplicates written late get to arrive once the expected records are there. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    /** How long reading a topic to its end may take (a fresh consumer on a loaded machine). */
    static final Duration READ_TO_END = Duration.ofSeconds(60);

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
        final TreeSet<String> ids = new TreeSet<>(ingress.keySet());
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
     * Record ids (from the values) of a topic with how often each is there: every record up to the topic's end as it
     * is now; {@code read_committed}.
     */
    static Map<String, Integer> recordIds(final String bootstrapServers, final String topic) {
        return ids(KafkaClients.consumeBytesToEnd(bootstrapServers, topic, READ_TO_END, IsolationLevel.READ_COMMITTED));
    }

    /** The egress record ids, once {@code expected} records are there (see {@link #settled}). */
    static Map<String, Integer> settledEgress(final String bootstrapServers, final String egress, final int expected) {
        return ids(settled(bootstrapServers, egress, expected, record -> 1, Duration.ofSeconds(60)));
    }

    /** The acknowledgement events, once {@code expected} are there (see {@link #settled}). */
    static List<AckEvent> settledAcks(final String bootstrapServers, final String topic, final int expected) {
        return events(settled(bootstrapServers, topic, expected, record -> ACKS.decode(record.value()).size(),
            Duration.ofSeconds(90)));
    }

    /** The acknowledgement events of the acks topic's records. */
    static List<AckEvent> events(final List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().flatMap(record -> ACKS.decode(record.value()).stream()).toList();
    }

    /** Every commit event there is now, {@code read_committed}. */
    static List<CommitEvent> commits(final String bootstrapServers, final String topic) {
        return KafkaClients.consumeBytesToEnd(bootstrapServers, topic, READ_TO_END, IsolationLevel.READ_COMMITTED)
            .stream().map(record -> COMMITS.decode(record.value())).toList();
    }

    /**
     * Every record of a topic, {@code read_committed}: waits (at most {@code timeout}) until {@code expected} are
     * there (records, or what {@code weight} counts in them), gives late extras — duplicates — {@link #SETTLE} to arrive, then reads the topic to its end. Reading to
     * the end offsets rather than for a fixed window means that a slow reader cannot come back short.
     */
    private static List<ConsumerRecord<byte[], byte[]>> settled(final String bootstrapServers, final String topic,
                                                               final int expected,
                                                               final ToIntFunction<ConsumerRecord<byte[], byte[]>> weight,
                                                               final Duration timeout) {
        KafkaClients.consumeBytes(bootstrapServers, topic, expected, weight, timeout, IsolationLevel.READ_COMMITTED);
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return KafkaClients.consumeBytesToEnd(bootstrapServers, topic, READ_TO_END, IsolationLevel.READ_COMMITTED);
    }

    private static Map<String, Integer> ids(final List<ConsumerRecord<byte[], byte[]>> records) {
        final Map<String, Integer> ids = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : records) {
            final String value = new String(record.value(), StandardCharsets.UTF_8);
            final int at = value.indexOf("rec-");
            ids.merge(at < 0 ? value : value.substring(at, at + 10), 1, Integer::sum);
        }
        return ids;
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

    /**
     * Why acknowledgement events are missing, for an assertion message: the ingress records without an
     * {@code ACKNOWLEDGED} event (as ranges per partition), how many events a {@code read_uncommitted} reader sees,
     * each audit partition's last stable offset against its end, the open transactions, and the warnings of
     * {@code sluice run}'s log — enough to tell an event never written from one held back by an open transaction.
     */
    static String missingAcks(final String bootstrapServers, final String ingressTopic, final String acksTopic,
                              final Map<String, Integer> acknowledged, final Path runLog) {
        final StringBuilder diagnosis = new StringBuilder();
        try {
            final Map<Integer, TreeSet<Long>> missing = new TreeMap<>();
            for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytesToEnd(bootstrapServers,
                ingressTopic, Duration.ofSeconds(30), IsolationLevel.READ_UNCOMMITTED)) {
                if (!acknowledged.containsKey(ingressTopic + "/" + record.partition() + "/" + record.offset())) {
                    missing.computeIfAbsent(record.partition(), p -> new TreeSet<>()).add(record.offset());
                }
            }
            diagnosis.append("not acknowledged: ");
            missing.forEach((partition, offsets) -> diagnosis.append(ingressTopic).append('-').append(partition)
                .append(' ').append(ranges(offsets)).append("; "));
            diagnosis.append("events read_uncommitted: ").append(events(KafkaClients.consumeBytesToEnd(
                bootstrapServers, acksTopic, Duration.ofSeconds(30), IsolationLevel.READ_UNCOMMITTED)).size());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                final List<TopicPartition> partitions = admin.describeTopics(List.of(acksTopic)).allTopicNames().get()
                    .get(acksTopic).partitions().stream().map(info -> new TopicPartition(acksTopic, info.partition()))
                    .toList();
                final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                final var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get();
                final var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .all().get();
                diagnosis.append("; last stable/end offsets:");
                partitions.forEach(partition -> diagnosis.append(' ').append(partition.partition()).append('=')
                    .append(stable.get(partition).offset()).append('/').append(ends.get(partition).offset()));
                diagnosis.append("; open transactions: ").append(admin.listTransactions().all().get().stream()
                    .filter(listing -> !Set.of(TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT,
                        TransactionState.EMPTY).contains(listing.state()))
                    .map(listing -> listing.transactionalId() + " " + listing.state()).toList());
            }
        } catch (final Exception e) {
            diagnosis.append("; (diagnosis cut short: ").append(e).append(')');
        }
        try (var lines = Files.lines(runLog)) {
            diagnosis.append("; sluice run warned: ").append(lines.filter(line -> line.contains(" WARN ")
                || line.contains(" ERROR ")).limit(30).toList());
        } catch (final Exception e) {
            diagnosis.append("; (no log: ").append(e).append(')');
        }
        return diagnosis.toString();
    }

    private static String ranges(final TreeSet<Long> offsets) {
        final StringBuilder ranges = new StringBuilder();
        Long first = null;
        Long last = null;
        for (final long offset : offsets) {
            if (last != null && offset == last + 1) {
                last = offset;
                continue;
            }
            if (first != null) {
                ranges.append(first.equals(last) ? first : first + ".." + last).append(',');
            }
            first = offset;
            last = offset;
        }
        if (first != null) {
            ranges.append(first.equals(last) ? first : first + ".." + last);
        }
        return ranges.toString();
    }
}

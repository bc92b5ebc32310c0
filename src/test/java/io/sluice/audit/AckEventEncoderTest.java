package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckEventBatch;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AuditError;
import io.sluice.avro.BatchUser;
import io.sluice.avro.BatchedAckEvent;
import io.sluice.avro.BindingLevel;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.InterceptorError;
import io.sluice.avro.Scope;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.avro.Violation;
import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.chain.RecordOutcome;
import io.sluice.resolution.Chain;
import io.sluice.spi.RecordContext;

/**
 * The hand-written encoder writes exactly what Avro writes for the same event, for every shape of event, alone or in
 * batches; a batch reads as the events written alone.
 */
class AckEventEncoderTest {

    private static final String[] WORDS = {"a", "payments", "ünïcödé-名前", "x".repeat(70), "", "analysts", "ops"};

    @Test
    void writesTheSameBytesAsAvroForEveryShapeOfEvent() {
        final Random random = new Random(42);
        final AckEventEncoder encoder = new AckEventEncoder("app");
        for (int i = 0; i < 2_000; i++) {
            final RecordOutcome outcome = randomOutcome(random);
            final long time = random.nextBoolean() ? random.nextLong() : 1_767_225_600_123L;
            final String eventId = AuditEvents.ackId("app", outcome.context().topic(), outcome.context().partition(),
                outcome.context().offset());

            final byte[] expected = AuditEvents.ACKS.encode(avroEvent("app", eventId, time, outcome));
            assertArrayEquals(expected, encoder.encode(eventId, time, outcome), "event " + i);
            assertArrayEquals(expected, encoder.encode(eventId, time, outcome), "event " + i + ", chain from the cache");
        }
    }

    @Test
    void theEnumsItWritesByPositionHaveTheSchemasSymbolsInTheSameOrder() {
        assertEquals(names(AckOutcome.values()), names(io.sluice.spi.Outcome.values()));
        assertEquals(names(BindingLevel.values()), names(io.sluice.bindings.ScopeLevel.values()));
    }

    private static List<String> names(final Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }

    @Test
    void writesBatchesThatAvroReadsAsTheEventsWrittenAlone() {
        final Random random = new Random(7);
        final AckEventEncoder encoder = new AckEventEncoder("app");
        final byte[] header = AuditEvents.BATCHES.singleObjectHeader();
        for (int i = 0; i < 300; i++) {
            // The records of a few users, sharing a few chains (the resolver gives equal chains as one object).
            final List<String[]> users = new ArrayList<>();
            for (int u = 1 + random.nextInt(4); u > 0; u--) {
                users.add(new String[] {word(random), random.nextBoolean() ? null : word(random)});
            }
            final List<Chain> chains = List.of(randomChain(random), randomChain(random), Chain.EMPTY);
            final List<RecordOutcome> outcomes = new ArrayList<>();
            for (int n = 1 + random.nextInt(40); n > 0; n--) {
                final String[] user = users.get(random.nextInt(users.size()));
                outcomes.add(randomOutcome(random, user[0], user[1], chains.get(random.nextInt(chains.size()))));
            }
            final long time = random.nextBoolean() ? random.nextLong() : 1_767_225_600_123L;

            final List<byte[]> batches = encoder.encodeBatches(header, time, outcomes);

            assertEquals(1, batches.size(), "batch " + i + ": far below the batch size, one record");
            assertArrayEquals(AuditEvents.BATCHES.encode(avroBatch("app", time, outcomes)), batches.get(0),
                "batch " + i + ": Avro's bytes");
            final List<AckEvent> alone = outcomes.stream().map(outcome -> avroEvent("app", AuditEvents.ackId("app",
                outcome.context().topic(), outcome.context().partition(), outcome.context().offset()), time, outcome))
                .toList();
            final List<AckEvent> read = AuditDecoder.acks(null).decode(batches.get(0));
            assertEquals(alone, read, "batch " + i + ": the events as if written alone");
            assertEquals(alone.stream().map(event -> AuditJson.ack(event).toString()).toList(),
                read.stream().map(event -> AuditJson.ack(event).toString()).toList(),
                "batch " + i + ": sluice audit -o json prints the same");
        }
    }

    @Test
    void aKeysEventsBeyondTheBatchSizeGoInMoreBatchesInOrder() {
        final Random random = new Random(11);
        final AckEventEncoder encoder = new AckEventEncoder("app");
        final Chain chain = randomChain(random);
        final List<RecordOutcome> outcomes = new ArrayList<>();
        for (int n = 0; n < 3_000; n++) {
            outcomes.add(randomOutcome(random, "payments", "alice", chain));
        }

        final List<byte[]> batches = encoder.encodeBatches(AuditEvents.BATCHES.singleObjectHeader(), 5L, outcomes);

        assertTrue(batches.size() > 1, "3,000 events exceed one batch");
        batches.forEach(batch -> assertTrue(batch.length < 2 * AckEventEncoder.BATCH_BYTES,
            "a batch closes once it reaches the batch size: " + batch.length + " bytes"));
        final List<Long> offsets = batches.stream()
            .flatMap(batch -> AuditDecoder.acks(null).decode(batch).stream())
            .map(event -> event.getIngress().getOffset()).toList();
        assertEquals(outcomes.stream().map(outcome -> outcome.context().offset()).toList(), offsets,
            "every event once, in order");
    }

    private static RecordOutcome randomOutcome(final Random random) {
        return randomOutcome(random, word(random), random.nextBoolean() ? null : word(random), randomChain(random));
    }

    private static RecordOutcome randomOutcome(final Random random, final String vcluster, final String username,
                                               final Chain chain) {
        // Sorted sets (as records' identities have) and sets in any order.
        final Set<String> groups = random.nextBoolean() ? new TreeSet<>() : new LinkedHashSet<>();
        for (int g = random.nextInt(4); g > 0; g--) {
            groups.add(word(random));
        }
        final RecordContext context = new RecordContext(vcluster, username, groups, "orders." + word(random),
            random.nextInt(1000), Math.abs(random.nextLong()), 0);
        final RecordOutcome outcome = new RecordOutcome(context, chain);
        if (random.nextInt(4) == 0) {
            outcome.violation("i1", word(random));
        }
        if (random.nextInt(3) == 0) {
            outcome.dataKey("pii:" + word(random));
            outcome.dataKey(random.nextBoolean() ? null : "orders-" + word(random));
        }
        if (random.nextInt(4) == 0) {
            outcome.interceptorError("i2", "onSend", word(random));
            outcome.interceptorError("i3", "onAcknowledgement", word(random));
        }
        switch (random.nextInt(4)) {
            case 0 -> outcome.reject(RecordOutcome.ErrorKind.REJECTION, random.nextBoolean() ? null : "i1", word(random));
            case 1 -> outcome.writeFailed(word(random));
            default -> { }
        }
        outcome.writeStarted();
        outcome.writeCompleted("orders.out", random.nextInt(8), random.nextInt(Integer.MAX_VALUE), random.nextBoolean());
        return outcome;
    }

    private static Chain randomChain(final Random random) {
        final List<Binding> bindings = new ArrayList<>();
        for (int b = random.nextInt(6); b > 0; b--) {
            final BindingScope scope = switch (random.nextInt(4)) {
                case 0 -> BindingScope.GLOBAL;
                case 1 -> new BindingScope(word(random), null, null);
                case 2 -> new BindingScope(random.nextBoolean() ? null : word(random), "g" + b, null);
                default -> new BindingScope(random.nextBoolean() ? null : word(random), null, "u" + b);
            };
            bindings.add(new Binding(new BindingId("i" + b, scope), "header-injection", random.nextInt(100_000),
                null, null, JsonNodeFactory.instance.objectNode()));
        }
        return bindings.isEmpty() ? Chain.EMPTY : new Chain(bindings);
    }

    private static String word(final Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    /**
     * The batch as Avro's generated classes build it: its users and chains in the order the events first name them,
     * the first user in the batch's own fields.
     */
    private static AckEventBatch avroBatch(final String applicationId, final long time,
                                           final List<RecordOutcome> outcomes) {
        final List<BatchUser> users = new ArrayList<>();
        final List<Chain> chains = new ArrayList<>();
        final List<BatchedAckEvent> events = new ArrayList<>();
        for (final RecordOutcome outcome : outcomes) {
            final BatchUser user = new BatchUser(outcome.context().vcluster(), outcome.context().username());
            if (!users.contains(user)) {
                users.add(user);
            }
            if (chains.stream().noneMatch(chain -> chain == outcome.chain())) {
                chains.add(outcome.chain());
            }
            final AckEvent alone = avroEvent(applicationId, "unused", time, outcome);
            int chain = 0;
            while (chains.get(chain) != outcome.chain()) {
                chain++;
            }
            events.add(new BatchedAckEvent(users.indexOf(user), alone.getContext().getGroups(), alone.getIngress(),
                alone.getEgress(), alone.getOutcome(), alone.getError(), chain, alone.getInterceptorErrors(),
                alone.getViolations(), alone.getDataKeys()));
        }
        return new AckEventBatch(java.time.Instant.ofEpochMilli(time), applicationId, users.get(0).getVcluster(),
            users.get(0).getUsername(), users.subList(1, users.size()),
            chains.stream().map(AckEventEncoderTest::chainEntries).toList(), events);
    }

    private static List<ChainEntry> chainEntries(final Chain chain) {
        return chain.interceptors().stream().map(binding -> new ChainEntry(binding.name(), binding.plugin(),
            BindingLevel.valueOf(binding.level().name()), new Scope(binding.scope().vcluster(),
                binding.scope().group(), binding.scope().username()), binding.priority())).toList();
    }

    /** The event as Avro's generated classes build it: the reference the encoder must match. */
    private static AckEvent avroEvent(final String applicationId, final String eventId, final long time,
                                      final RecordOutcome outcome) {
        final RecordContext context = outcome.context();
        final RecordOutcome.Failure failure = outcome.failure();
        return new AckEvent(eventId, java.time.Instant.ofEpochMilli(time), applicationId,
            new AckContext(context.vcluster(), context.username(), context.groups().stream().sorted().toList()),
            new TopicPartitionOffset(context.topic(), context.partition(), context.offset()),
            outcome.egressTopic() == null ? null
                : new TopicPartitionOffset(outcome.egressTopic(), outcome.egressPartition(), outcome.egressOffset()),
            AckOutcome.valueOf(outcome.outcome().name()),
            failure == null ? null : new AuditError(failure.kind().name(), failure.message(), failure.interceptor()),
            chainEntries(outcome.chain()),
            outcome.interceptorErrors().stream()
                .map(error -> new InterceptorError(error.interceptor(), error.hook(), error.message())).toList(),
            outcome.violations().stream()
                .map(violation -> new Violation(violation.interceptor(), violation.message())).toList(),
            outcome.dataKeys());
    }
}

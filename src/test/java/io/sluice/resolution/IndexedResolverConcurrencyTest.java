package io.sluice.resolution;

import static io.sluice.resolution.Fixtures.binding;
import static io.sluice.resolution.Fixtures.context;
import static io.sluice.resolution.Fixtures.global;
import static io.sluice.resolution.Fixtures.group;
import static io.sluice.resolution.Fixtures.username;
import static io.sluice.resolution.Fixtures.vcluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;

/**
 * One writer (the global-store thread) and several readers (stream threads). Each mutation k moves the bindings
 * to state k; a reader that starts after state {@code before} is published and ends before state
 * {@code after + 1} is, must get the chain of one of the states in between. A stale chain stored after a
 * mutation would show up as the chain of a state older than {@code before}.
 */
class IndexedResolverConcurrencyTest {

    private static final int MUTATIONS = 3_000;
    private static final int READERS = 3;
    private static final List<Context> CONTEXTS = List.of(
        context("payments", "alice", "analysts", "ops"),
        context("payments", "bob", "ops"),
        context("orders", "alice", "analysts"),
        context("orders", null));
    private static final List<BindingScope> SCOPES = List.of(
        global(), vcluster("payments"), vcluster("orders"), group("analysts"), group("ops"),
        group("payments", "ops"), username("alice"), username("payments", "bob"));

    @Test
    void readersNeverSeeAChainOlderThanTheLastPublishedChange() throws InterruptedException {
        // given: the mutations, and the reference chain of every context in every state
        final Random random = new Random(42);
        final List<Binding> mutations = new ArrayList<>();
        final List<Boolean> removals = new ArrayList<>();
        final ReferenceResolver reference = new ReferenceResolver();
        final Chain[][] expected = new Chain[MUTATIONS + 1][CONTEXTS.size()];
        record(expected, 0, reference);
        for (int k = 1; k <= MUTATIONS; k++) {
            final Binding binding = binding("i" + random.nextInt(3), SCOPES.get(random.nextInt(SCOPES.size())),
                random.nextInt(4), null, "state " + k);
            final boolean removal = random.nextInt(4) == 0;
            mutations.add(binding);
            removals.add(removal);
            if (removal) {
                reference.remove(binding.id());
            } else {
                reference.put(binding);
            }
            record(expected, k, reference);
        }
        // A small bound keeps eviction and re-resolution busy alongside the invalidations.
        final IndexedResolver resolver = new IndexedResolver(2);
        final AtomicInteger published = new AtomicInteger();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicLong resolutions = new AtomicLong();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            final int seed = r;
            readers.add(new Thread(() -> read(resolver, published, expected, violations, resolutions, start, seed)));
        }
        readers.forEach(Thread::start);

        // when
        start.countDown();
        for (int k = 1; k <= MUTATIONS; k++) {
            if (removals.get(k - 1)) {
                resolver.remove(mutations.get(k - 1).id());
            } else {
                resolver.put(mutations.get(k - 1));
            }
            published.set(k);
            awaitReaders(resolutions, 2L * k, violations);
        }
        for (final Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }

        // then
        assertEquals(List.of(), List.copyOf(violations));
        assertTrue(resolutions.get() >= 2L * MUTATIONS, "readers resolved only " + resolutions.get() + " times");
        for (int c = 0; c < CONTEXTS.size(); c++) {
            assertEquals(expected[MUTATIONS][c], resolver.resolve(CONTEXTS.get(c)));
        }
    }

    // Paces the writer so that readers interleave with every mutation, even on a busy two-core machine.
    // Readers stop at the first violations: then there is nothing to wait for.
    private static void awaitReaders(final AtomicLong resolutions, final long atLeast,
                                     final ConcurrentLinkedQueue<String> violations) {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        while (resolutions.get() < atLeast && violations.isEmpty() && System.nanoTime() < deadline) {
            Thread.yield();
        }
    }

    private static void record(final Chain[][] expected, final int state, final ReferenceResolver reference) {
        for (int c = 0; c < CONTEXTS.size(); c++) {
            expected[state][c] = reference.resolve(CONTEXTS.get(c));
        }
    }

    private static void read(final IndexedResolver resolver, final AtomicInteger published, final Chain[][] expected,
                             final ConcurrentLinkedQueue<String> violations, final AtomicLong resolutions,
                             final CountDownLatch start, final int seed) {
        final Random random = new Random(seed);
        try {
            start.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int before;
        do {
            before = published.get();
            final int c = random.nextInt(CONTEXTS.size());
            final Chain chain = resolver.resolve(CONTEXTS.get(c));
            final int after = Math.min(published.get() + 1, MUTATIONS);
            resolutions.incrementAndGet();
            if (!seenInStates(expected, c, chain, before, after)) {
                violations.add("context " + c + " between states " + before + " and " + after + ": " + chain);
            }
        } while (before < MUTATIONS && violations.isEmpty());
    }

    private static boolean seenInStates(final Chain[][] expected, final int c, final Chain chain, final int from,
                                        final int to) {
        for (int state = from; state <= to; state++) {
            if (expected[state][c].equals(chain)) {
                return true;
            }
        }
        return false;
    }
}

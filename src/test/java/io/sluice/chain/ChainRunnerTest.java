package io.sluice.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingScope;
import io.sluice.resolution.Chain;
import io.sluice.spi.OnError;
import io.sluice.spi.RecordContext;
import io.sluice.testing.Journal;
import io.sluice.testing.RecordingFactory;
import io.sluice.testing.TestPlugins;

class ChainRunnerTest {

    private final Journal journal = new Journal();
    private final InterceptorInstances instances =
        new InterceptorInstances(TestPlugins.registry(journal), new HookGuard());
    private final ChainRunner runner = new ChainRunner(instances);
    private final Binding binding = new Binding(new BindingId("rec", BindingScope.GLOBAL), RecordingFactory.TYPE, 1,
        null, OnError.SKIP, JsonNodeFactory.instance.objectNode().put("label", "r"));

    @Test
    void anInstanceClosedByAConfigChangeIsNeverRunAgain() {
        // given: a stream thread looked an instance up just before the config thread retired (and closed) it
        final InstanceHandle looked = instances.instanceFor(binding);
        instances.bindingChanged(binding.id());
        journal.drain();
        assertFalse(looked.tryRecordInFlight(), "a closed instance takes no more records");

        // when: the record runs
        final RecordOutcome outcome = run();

        // then: a fresh instance ran it; the closed one saw nothing after close
        final List<String> events = journal.drain();
        assertEquals(2, events.size(), events.toString());
        assertEquals(true, events.get(0).endsWith("created"), events.toString());
        assertEquals(true, events.get(1).contains("onSend"), events.toString());
        assertEquals(1, outcome.instances().size());
    }

    @Test
    void aRecordResolvedJustBeforeItsBindingWasDeletedRunsOnAnInstanceThatClosesAfterItsAcknowledgement() {
        // given: the binding is no longer in force, but a stream thread still holds a chain resolved with it
        final ChainRunner staleRunner = new ChainRunner(
            new InterceptorInstances(TestPlugins.registry(journal), new HookGuard(), version -> false));

        // when
        final RecordOutcome outcome = run(staleRunner);

        // then: the interceptor ran on the record (an encryptor must not be skipped), and is not kept as live
        final List<String> ran = journal.drain();
        assertEquals(List.of("r created", "r onSend in@0"), ran);
        assertTrue(staleRunner.instances().live().isEmpty(), "no instance of a deleted binding stays registered");

        // when: the record is acknowledged
        staleRunner.acknowledge(outcome, null);

        // then: the one-off instance got its acknowledgement and closed
        final List<String> after = journal.drain();
        assertEquals(2, after.size(), after.toString());
        assertTrue(after.get(0).startsWith("r onAcknowledgement"), after.toString());
        assertEquals("r close", after.get(1));
    }

    @Test
    void countsEachRecordOnceByOutcome() {
        // given
        final RecordOutcome outcome = run();

        // when: acknowledged twice (e.g. a callback and a commit both try)
        runner.acknowledge(outcome, null);
        runner.acknowledge(outcome, null);

        // then
        assertEquals(1, runner.outcomeCount(io.sluice.spi.Outcome.ACKNOWLEDGED));
        assertEquals(1, outcome.instances().size(), "the recording instance saw the record");
    }

    private RecordOutcome run() {
        return run(runner);
    }

    private RecordOutcome run(final ChainRunner runner) {
        final RecordContext context = new RecordContext("default", "alice", Set.of(), "in", 0, 0, 0);
        final RecordOutcome outcome = new RecordOutcome(context, new Chain(List.of(binding)));
        runner.runOnSend(new ChainRecord(context, null, new byte[0], new RecordHeaders()), outcome);
        return outcome;
    }
}

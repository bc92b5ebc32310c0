package io.sluice.topology;

import static io.sluice.topology.Bindings.injects;
import static io.sluice.topology.Bindings.recording;
import static io.sluice.topology.SluiceDriver.assertRecords;
import static io.sluice.topology.SluiceDriver.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.chain.Acknowledgements;
import io.sluice.chain.RecordOutcome;
import io.sluice.common.Json;
import io.sluice.testing.Journal;
import io.sluice.testing.RecordingFactory;
import io.sluice.testing.TestPlugins;

/**
 * Config changes while records flow, on one running driver: bindings added, replaced and deleted between records;
 * invalid config records ignored; interceptor instances created per binding version and closed when it goes.
 */
class SluiceTopologyReloadTest {

    private static final BindingId AUDIT = new BindingId("audit", BindingScope.GLOBAL);

    @TempDir
    Path folder;

    private final Journal journal = new Journal();

    private SluiceDriver sluice() {
        return new SluiceDriver(folder, TestPlugins.registry(journal));
    }

    // ---- hot reload

    @Test
    void aBindingAddedReplacedAndDeletedBetweenRecordsAppliesToTheNextRecord() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.send("orders.in", record("k0", "v"));

            // when: added
            sluice.apply(injects("tag", "{}", 10, "x-tag", "v1"));
            sluice.send("orders.in", record("k1", "v"));
            // when: replaced (same identity)
            sluice.apply(injects("tag", "{}", 10, "x-tag", "v2"));
            sluice.send("orders.in", record("k2", "v"));
            // when: deleted
            sluice.delete("tag", BindingScope.GLOBAL);
            sluice.send("orders.in", record("k3", "v"));

            // then
            assertRecords(List.of(
                    record("k0", "v"),
                    record("k1", "v", "x-tag", "v1"),
                    record("k2", "v", "x-tag", "v2"),
                    record("k3", "v")),
                sluice.read("orders.out"));
            assertEquals(2, sluice.status().appliedCount());
            assertEquals(1, sluice.status().deletedCount());
        }
    }

    @Test
    void deletingAnOverrideBringsBackTheLessPreciseBinding() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("tag", "{}", 10, "x-tag", "global") + injects("tag", "{username: alice}", 10, "x-tag", "alice"));
            sluice.send("orders.in", record("k1", "v", "sluice-user", "alice"));

            // when
            sluice.delete("tag", new BindingScope(null, null, "alice"));
            sluice.send("orders.in", record("k2", "v", "sluice-user", "alice"));

            // then
            assertRecords(List.of(
                    record("k1", "v", "sluice-user", "alice", "x-tag", "alice"),
                    record("k2", "v", "sluice-user", "alice", "x-tag", "global")),
                sluice.read("orders.out"));
        }
    }

    // ---- invalid config records

    @Test
    void invalidConfigRecordsAreCountedAndThePreviousVersionStaysInForce() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(recording("audit", "{}", 10, "v1"));
            sluice.send("orders.in", record("k0", "v"));

            // when: another tool writes an unknown plugin, a config the plugin refuses, a value and a key that are not Avro
            sluice.publish(BindingRecords.key(AUDIT), value(new Binding(AUDIT, "no-such-plugin", 10, null, null, Json.object())));
            sluice.publish(BindingRecords.key(AUDIT), value(new Binding(AUDIT, RecordingFactory.TYPE, 10, null, null,
                Json.object().put("labl", "typo"))));
            sluice.publish(BindingRecords.key(AUDIT), utf8("{\"plugin\": \"recording\"}"));
            sluice.publish(utf8("audit"), value(new Binding(AUDIT, RecordingFactory.TYPE, 10, null, null,
                Json.object().put("label", "smuggled"))));
            sluice.send("orders.in", record("k1", "v"));

            // then
            assertRecords(List.of(
                    record("k0", "v", RecordingFactory.HEADER, "v1"),
                    record("k1", "v", RecordingFactory.HEADER, "v1")),
                sluice.read("orders.out"));
            assertEquals(4, sluice.status().invalidCount());
            assertEquals(1, sluice.status().appliedCount());
            assertEquals(List.of(
                    "v1 created",
                    "v1 onSend orders.in@0", "v1 onAcknowledgement orders.in@0 ACKNOWLEDGED",
                    "v1 onSend orders.in@1", "v1 onAcknowledgement orders.in@1 ACKNOWLEDGED"),
                journal.events());
        }
    }

    @Test
    void anInvalidConfigRecordForANewIdentityAddsNothing() {
        try (SluiceDriver sluice = sluice()) {
            // when
            sluice.publish(BindingRecords.key(AUDIT), value(new Binding(AUDIT, "no-such-plugin", 10, null, null, Json.object())));
            sluice.send("orders.in", record("k", "v"));

            // then
            assertRecords(List.of(record("k", "v")), sluice.read("orders.out"));
            assertEquals(1, sluice.status().invalidCount());
        }
    }

    // ---- instance lifecycle

    @Test
    void anInstanceIsClosedWhenItsBindingIsReplacedOrDeletedAfterItsLastAcknowledgement() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(recording("audit", "{}", 10, "v1"));
            sluice.send("orders.in", record("k0", "v"));
            assertEquals(List.of(
                    "v1 created", "v1 onSend orders.in@0", "v1 onAcknowledgement orders.in@0 ACKNOWLEDGED"),
                journal.drain());

            // when: replaced
            sluice.apply(recording("audit", "{}", 10, "v2"));

            // then
            assertEquals(List.of("v1 close"), journal.drain());

            // when: the next record
            sluice.send("orders.in", record("k1", "v"));

            // then: a new instance for the new version
            assertEquals(List.of(
                    "v2 created", "v2 onSend orders.in@1", "v2 onAcknowledgement orders.in@1 ACKNOWLEDGED"),
                journal.drain());

            // when: deleted
            sluice.delete("audit", BindingScope.GLOBAL);
            sluice.send("orders.in", record("k2", "v"));

            // then
            assertEquals(List.of("v2 close"), journal.drain());
            assertRecords(List.of(
                    record("k0", "v", RecordingFactory.HEADER, "v1"),
                    record("k1", "v", RecordingFactory.HEADER, "v2"),
                    record("k2", "v")),
                sluice.read("orders.out"));
        }
    }

    @Test
    void republishingTheSameBindingKeepsItsInstance() {
        try (SluiceDriver sluice = sluice()) {
            // given: a compacted topic replays records as they are
            sluice.apply(recording("audit", "{}", 10, "v1"));
            sluice.send("orders.in", record("k0", "v"));
            journal.drain();

            // when
            sluice.apply(recording("audit", "{}", 10, "v1"));
            sluice.send("orders.in", record("k1", "v"));

            // then
            assertEquals(List.of("v1 onSend orders.in@1", "v1 onAcknowledgement orders.in@1 ACKNOWLEDGED"),
                journal.drain());
        }
    }

    @Test
    void aRetiredInstanceIsClosedOnlyOnceEveryRecordItSawIsAcknowledged() {
        // given: acknowledgements held back, as the egress writes of a real producer would be
        final List<RecordOutcome> pending = new ArrayList<>();
        try (SluiceDriver sluice = new SluiceDriver(folder, SluiceDriver.DEFAULT_TOPOLOGY, TestPlugins.registry(journal),
            runner -> held(pending))) {
            sluice.apply(recording("audit", "{}", 10, "v1"));
            sluice.send("orders.in", record("k0", "v"));
            sluice.send("orders.in", record("k1", "v"));
            journal.drain();

            // when: replaced while two records are in flight
            sluice.apply(recording("audit", "{}", 10, "v2"));

            // then
            assertEquals(List.of(), journal.drain());

            // when: they are acknowledged, one of them twice
            sluice.runner().acknowledge(pending.get(0), null);
            sluice.runner().acknowledge(pending.get(0), null);
            sluice.runner().acknowledge(pending.get(1), null);

            // then
            assertEquals(List.of(
                    "v1 onAcknowledgement orders.in@0 ACKNOWLEDGED",
                    "v1 onAcknowledgement orders.in@1 ACKNOWLEDGED",
                    "v1 close"),
                journal.drain());
        }
    }

    @Test
    void aRejectedRecordIsAcknowledgedOnceToEveryInstanceThatSawIt() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(recording("audit", "{}", 10, "v1")
                + Bindings.binding("gate", "{}", "plugin: rejecting, priority: 20, config: {reason: closed}"));

            // when
            sluice.send("orders.in", record("k0", "v"));

            // then
            assertEquals(List.of(
                    "v1 created", "v1 onSend orders.in@0", "v1 onAcknowledgement orders.in@0 REJECTED"),
                journal.events());
        }
    }

    @Test
    void shuttingDownClosesEveryInstanceOnce() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(recording("audit", "{group: analysts}", 10, "analysts")
                + recording("audit", "{group: auditors}", 10, "auditors"));
            sluice.send("orders.in", record("k0", "v", "sluice-groups", "analysts,auditors"));
            journal.drain();

            // when
            sluice.runner().instances().close();
            sluice.runner().instances().close();

            // then
            assertEquals(List.of("analysts close", "auditors close"), journal.drain().stream().sorted().toList());
        }
    }

    private static Acknowledgements held(final List<RecordOutcome> pending) {
        return new Acknowledgements() {
            @Override
            public void begin(final RecordOutcome outcome) {
            }

            @Override
            public void end(final RecordOutcome outcome) {
                pending.add(outcome);
            }
        };
    }

    private static byte[] value(final Binding binding) {
        return BindingRecords.value(binding, Provenance.UNKNOWN);
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

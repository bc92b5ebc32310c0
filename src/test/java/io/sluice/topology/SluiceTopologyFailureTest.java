package io.sluice.topology;

import static io.sluice.topology.Bindings.binding;
import static io.sluice.topology.Bindings.injects;
import static io.sluice.topology.Bindings.recording;
import static io.sluice.topology.SluiceDriver.assertRecords;
import static io.sluice.topology.SluiceDriver.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.plugins.support.JsonValues;
import io.sluice.testing.Journal;
import io.sluice.testing.RecordingFactory;
import io.sluice.testing.TestPlugins;

/**
 * Interceptors that fail or reject: {@code onError: skip} lets the record and the rest of the chain go on;
 * {@code onError: reject} and {@code reject(reason)} send the record, as it arrived, to the rejected topic.
 */
class SluiceTopologyFailureTest {

    /** Changes key, value and headers before the failing or rejecting interceptor runs. */
    private static final String CHANGES_EVERYTHING = injects("stamp", "{}", 1, "x-stamp", "stamped")
        + binding("rewrite", "{}", "plugin: rewriting, priority: 2, config: {key: new-key, value: new-value}")
        + binding("strip", "{}", "plugin: header-removal, priority: 3, config: {pattern: 'x-internal-.*'}");

    @TempDir
    Path folder;

    private final Journal journal = new Journal();

    private SluiceDriver sluice() {
        return new SluiceDriver(folder, TestPlugins.registry(journal));
    }

    @Test
    void aThrowingInterceptorWithOnErrorSkipIsSkippedAndTheRestOfTheChainRuns() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(injects("first", "{}", 1, "x-first", "1")
                + binding("boom", "{}", "plugin: throwing, priority: 2, onError: skip")
                + injects("last", "{}", 3, "x-last", "3"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-first", "1", "x-last", "3")),
                sluice.read("orders.out"));
            assertRecords(List.of(), sluice.rejected());
            assertEquals(1, sluice.runner().instances().hookGuard().count("boom"));
        }
    }

    @Test
    void aThrowingInterceptorWithOnErrorRejectSendsTheRecordAsItArrivedToTheRejectedTopic() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(CHANGES_EVERYTHING
                + binding("boom", "{}", "plugin: throwing, priority: 4, onError: reject, config: {message: disk on fire}")
                + recording("never", "{}", 5, "never"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice", "x-internal-id", "7"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-internal-id", "7",
                    "sluice-rejected-by", "boom",
                    "sluice-reason", "interceptor 'boom' failed in onSend (onError: reject): IllegalStateException: disk on fire")),
                sluice.rejected());
            assertRecords(List.of(), sluice.read("orders.out"));
            assertEquals(List.of(), journal.events());
        }
    }

    @Test
    void rejectionHeadersAClientPlantedAreReplacedBySluices() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(binding("gate", "{}", "plugin: rejecting, priority: 4, config: {reason: closed}"));

            // when: a client sets the rejection headers itself
            sluice.send("orders.in", record("k", "v", "sluice-rejected-by", "someone-else", "sluice-reason", "fake"));

            // then: only Sluice's say why
            assertRecords(List.of(record("k", "v", "sluice-rejected-by", "gate", "sluice-reason", "closed")),
                sluice.rejected());
        }
    }

    @Test
    void anInterceptorThatRejectsSendsTheRecordAsItArrivedToTheRejectedTopicWithItsReason() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(CHANGES_EVERYTHING
                + recording("before", "{}", 3, "before")
                + binding("gate", "{}", "plugin: rejecting, priority: 4, config: {reason: no orders on Sundays}")
                + recording("after", "{}", 5, "after"));

            // when
            sluice.send("orders.in", record("k", "v", "sluice-user", "alice", "x-internal-id", "7"));

            // then
            assertRecords(List.of(record("k", "v", "sluice-user", "alice", "x-internal-id", "7",
                    "sluice-rejected-by", "gate", "sluice-reason", "no orders on Sundays")),
                sluice.rejected());
            assertRecords(List.of(), sluice.read("orders.out"));
            assertEquals(List.of("before created", "before onSend orders.in@0",
                "before onAcknowledgement orders.in@0 REJECTED"), journal.events());
        }
    }

    @Test
    void anInstanceThatCannotBeCreatedIsSkippedOrRejectsAsItsOnErrorSays() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(binding("broken", "{}", "plugin: throwing, priority: 1, onError: skip, config: {hook: create}")
                + binding("strict", "{username: alice}",
                    "plugin: throwing, priority: 2, onError: reject, config: {hook: create, message: no disk}")
                + injects("last", "{}", 3, "x-last", "3"));

            // when
            sluice.send("orders.in", record("k1", "v", "sluice-user", "bob"));
            sluice.send("orders.in", record("k2", "v", "sluice-user", "alice"));

            // then
            assertRecords(List.of(record("k1", "v", "sluice-user", "bob", "x-last", "3")), sluice.read("orders.out"));
            assertRecords(List.of(record("k2", "v", "sluice-user", "alice", "sluice-rejected-by", "strict",
                    "sluice-reason", "plugin 'throwing' could not create an instance: IllegalStateException: no disk")),
                sluice.rejected());
        }
    }

    @Test
    void aPluginThatProtectsDataFailsClosedByDefault() {
        try (SluiceDriver sluice = sluice()) {
            // given: no onError, field-masking's default is reject
            sluice.apply(binding("mask", "{}", "plugin: field-masking, priority: 1, "
                + "config: {fields: [{path: card.number, strategy: LAST_N, n: 4}]}"));

            // when
            sluice.send("orders.in", record("k1", "{\"card\": {\"number\": \"4111111111111111\"}}"));
            sluice.send("orders.in", record("k2", "card=4111111111111111"));

            // then
            assertRecords(List.of(record("k1", "{\"card\":{\"number\":\"************1111\"}}")),
                sluice.read("orders.out"));
            assertRecords(List.of(record("k2", "card=4111111111111111", "sluice-rejected-by", "mask",
                    "sluice-reason", "interceptor 'mask' failed in onSend (onError: reject): ValueFormatException: "
                        + JsonValues.WITHHELD)),
                sluice.rejected());
        }
    }

    @Test
    void aRejectedTombstoneWithoutKeyStaysATombstoneWithoutKey() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(CHANGES_EVERYTHING + binding("gate", "{}", "plugin: rejecting, priority: 4, config: {reason: not today}"));

            // when
            sluice.send("orders.in", record(null, null));

            // then
            assertRecords(List.of(record(null, null, "sluice-rejected-by", "gate", "sluice-reason", "not today")),
                sluice.rejected());
        }
    }

    @Test
    void aRecordPassesWhenOnlyAnEarlierRecordWasRejected() {
        try (SluiceDriver sluice = sluice()) {
            // given
            sluice.apply(binding("gate", "{username: mallory}", "plugin: rejecting, priority: 1, config: {reason: banned}")
                + recording("audit", "{}", 2, "audit"));

            // when
            sluice.send("orders.in", record("k1", "v", "sluice-user", "mallory"));
            sluice.send("orders.in", record("k2", "v", "sluice-user", "alice"));

            // then
            assertRecords(List.of(record("k1", "v", "sluice-user", "mallory", "sluice-rejected-by", "gate",
                "sluice-reason", "banned")), sluice.rejected());
            assertRecords(List.of(record("k2", "v", "sluice-user", "alice", RecordingFactory.HEADER, "audit")),
                sluice.read("orders.out"));
        }
    }
}

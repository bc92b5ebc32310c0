package io.sluice.policytest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.bindings.BindingResources;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.InterceptorFactory;
import io.sluice.testing.Journal;
import io.sluice.testing.RecordingFactory;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;
import io.sluice.topology.TopologyFiles;

/**
 * The runner of {@code sluice test}: every {@code expect} field passes when the record matches and fails with a
 * message that says what differs, expected against actual; every hook runs; quota and chaos are deterministic.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PolicyTestRunnerTest {

    private static final String BINDINGS = """
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: add-trace-id}
        spec: {plugin: header-injection, priority: 1, config: {headers: {x-trace-id: "{{uuid}}", x-user: "{{user}}"}}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: tag-team, scope: {group: analysts}}
        spec: {plugin: header-injection, priority: 20, config: {headers: {x-team: analysts}}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: keys-required, scope: {vcluster: payments}}
        spec: {plugin: produce-policy, priority: 5, topics: "orders\\\\..*", config: {requireKey: true, action: BLOCK}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: team-header, scope: {vcluster: acme}}
        spec: {plugin: produce-policy, priority: 5, config: {requiredHeaders: [x-team], action: INFO}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: mask, scope: {username: alice}}
        spec: {plugin: field-masking, priority: 30, config: {fields: [{path: card.number, strategy: LAST_N, n: 4}]}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: strip-debug}
        spec: {plugin: header-removal, priority: 40, config: {pattern: "x-debug.*"}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: recorder, scope: {username: bob}}
        spec: {plugin: recording, priority: 2, config: {label: r}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: quota, scope: {vcluster: q}}
        spec: {plugin: quota, priority: 1, config: {recordsPerSecond: 2}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: chaos, scope: {vcluster: c}}
        spec: {plugin: chaos, priority: 1, config: {corruptPercent: 50}}
        ---
        apiVersion: sluice/v1
        kind: Interceptor
        metadata: {name: twice, scope: {vcluster: d}}
        spec: {plugin: chaos, priority: 1, config: {duplicatePercent: 100}}
        """;

    @TempDir
    Path dir;

    private final Journal journal = new Journal();
    private PluginRegistry plugins;
    private TopologyFile topology;
    private Path identityKey;

    @BeforeEach
    void setUp() throws IOException {
        final List<InterceptorFactory> factories = new ArrayList<>(PluginRegistry.load().factories());
        factories.add(new RecordingFactory(journal));
        plugins = new PluginRegistry(factories);
        identityKey = Files.writeString(dir.resolve("identity.key"),
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
        final Path topologyFile = Files.writeString(dir.resolve("topology.yaml"), """
            applicationId: policy-tests
            routes:
              - ingress: orders.in
                egress: orders.out
                vcluster: payments
              - ingress: "tenant-(?<vcluster>[a-z0-9-]+)\\\\.in"
                egress: "tenant-${vcluster}.out"
              - ingress: signed.in
                egress: signed.out
                vcluster: secure
                identity: signed
                identityKeyFile: %s
            """.formatted(identityKey));
        final TopologyFiles.Result read = TopologyFiles.read(topologyFile);
        assertTrue(read.isValid(), () -> read.problems().toString());
        topology = read.topology();
    }

    /** Runs one case (YAML of the case's given and expect) and returns its differences. */
    private List<String> differences(final String caseYaml) throws IOException {
        return run(caseYaml).get(0).differences();
    }

    private List<PolicyTestRunner.CaseResult> run(final String... casesYaml) throws IOException {
        final StringBuilder yaml = new StringBuilder("""
            apiVersion: sluice/v1
            kind: InterceptorTest
            metadata: {name: t}
            spec:
              cases:
            """);
        for (int i = 0; i < casesYaml.length; i++) {
            yaml.append("    - name: case").append(i).append('\n');
            casesYaml[i].lines().forEach(line -> yaml.append("      ").append(line).append('\n'));
        }
        final Path tests = Files.writeString(dir.resolve("tests.yaml"), yaml);
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), BINDINGS);
        final BindingResources.Result read = BindingResources.read(bindings, plugins);
        assertTrue(read.isValid(), () -> read.problems().toString());
        final PolicyTestFiles.Result parsed = new PolicyTestFiles(new Routing(topology)).read(List.of(tests));
        assertTrue(parsed.isValid(), () -> parsed.problems().toString());
        return new PolicyTestRunner(topology, read.bindings(), plugins).run(parsed.tests());
    }

    @Test
    void outcome() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, key: k1, value: {id: 1}}
            expect: {outcome: ACKNOWLEDGED}"""));
        assertEquals(List.of("outcome: expected ACKNOWLEDGED, got REJECTED (by keys-required: "
                + "the record has no key)"),
            differences("""
                given: {topic: orders.in, value: {id: 1}}
                expect: {outcome: ACKNOWLEDGED}"""));
    }

    @Test
    void chain() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, key: k, user: alice, groups: [analysts], value: {id: 1}}
            expect: {chain: [add-trace-id, keys-required, tag-team, mask, strip-debug]}"""));
        assertEquals(List.of("chain: expected [add-trace-id, mask], got [add-trace-id, keys-required, strip-debug]"),
            differences("""
                given: {topic: orders.in, key: k, user: carol, value: {id: 1}}
                expect: {chain: [add-trace-id, mask]}"""));
    }

    @Test
    void egressTopic() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, value: {id: 1}}
            expect: {egressTopic: tenant-acme.out}"""));
        assertEquals(List.of("egressTopic: expected orders.out, got _sluice_rejected (by keys-required: "
                + "the record has no key)"),
            differences("""
                given: {topic: orders.in, value: {id: 1}}
                expect: {egressTopic: orders.out}"""));
    }

    @Test
    void key() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, key: k1, value: {id: 1}}
            expect: {key: k1}"""));
        assertEquals(List.of("key: expected \"k2\", got \"k1\""), differences("""
            given: {topic: orders.in, key: k1, value: {id: 1}}
            expect: {key: k2}"""));
        assertEquals(List.of("key: expected null, got \"k1\""), differences("""
            given: {topic: orders.in, key: k1, value: {id: 1}}
            expect: {key: null}"""));
    }

    @Test
    void valueAsJsonWithAShortDiffOfWhatDiffers() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, key: k, user: alice, value: {card: {number: "4111111111111111"}, amount: 42}}
            expect: {value: {amount: 42.0, card: {number: "************1111"}}}"""));
        assertEquals(List.of(
                "value.amount: expected 41, got 42",
                "value.card.number: expected \"4111111111111111\", got \"************1111\"",
                "value.extra: expected [1], got no such field",
                "value.id: expected no such field, got 7"),
            differences("""
                given: {topic: orders.in, key: k, user: alice, value: {card: {number: "4111111111111111"}, amount: 42, id: 7}}
                expect: {value: {amount: 41, card: {number: "4111111111111111"}, extra: [1]}}"""));
    }

    @Test
    void valueAsTextAndAsNull() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, value: "plain text"}
            expect: {value: "plain text"}"""));
        assertEquals(List.of("value: expected \"other text\", got \"plain text\""), differences("""
            given: {topic: tenant-acme.in, value: "plain text"}
            expect: {value: "other text"}"""));
        assertEquals(List.of("value: expected {\"a\":1}, got a value that is not JSON: \"plain text\""), differences("""
            given: {topic: tenant-acme.in, value: "plain text"}
            expect: {value: {a: 1}}"""));
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in}
            expect: {value: null}"""));
        assertEquals(List.of("value: expected no value (null), got \"{\"a\":1}\""), differences("""
            given: {topic: tenant-acme.in, value: {a: 1}}
            expect: {value: null}"""));
    }

    @Test
    void headersWithExactValues() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, user: alice, groups: [analysts], headers: {x-keep: "1"}, value: {}}
            expect: {headers: {x-team: analysts, x-user: alice, x-keep: "1"}}"""));
        assertEquals(List.of("headers.x-team: expected \"ops\", got \"analysts\"",
                "headers.x-other: expected \"1\", got no such header"),
            differences("""
                given: {topic: tenant-acme.in, user: alice, groups: [analysts], value: {}}
                expect: {headers: {x-team: ops, x-other: "1"}}"""));
    }

    @Test
    void headersMatchingForValuesThatChangeEveryRun() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, value: {}}
            expect: {headersMatching: {x-trace-id: "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"}}"""));
        final List<String> differences = differences("""
            given: {topic: tenant-acme.in, value: {}}
            expect: {headersMatching: {x-trace-id: "[0-9]+", x-none: ".*"}}""");
        assertEquals(2, differences.size(), differences::toString);
        assertTrue(differences.get(0).matches("headersMatching\\.x-trace-id: expected a value matching \\[0-9\\]\\+, "
            + "got \"[0-9a-f-]{36}\""), differences.get(0));
        assertEquals("headersMatching.x-none: expected a value matching .*, got no such header", differences.get(1));
    }

    @Test
    void absentHeaders() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, headers: {x-debug-id: "7"}, value: {}}
            expect: {absentHeaders: [x-debug-id]}"""));
        assertEquals(List.of("absentHeaders: expected no header x-user, got \"bob\""), differences("""
            given: {topic: tenant-acme.in, user: bob, value: {}}
            expect: {absentHeaders: [x-user]}"""));
    }

    @Test
    void rejectedByAndReason() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, value: {id: 1}}
            expect: {outcome: REJECTED, egressTopic: _sluice_rejected, rejectedBy: keys-required, reason: "no key",
                     headers: {sluice-rejected-by: keys-required}, value: {id: 1}}"""));
        assertEquals(List.of("rejectedBy: expected mask, got keys-required (by keys-required: the record has no key)",
                "reason: expected a reason containing \"quota\", got \"the record has no key\""),
            differences("""
                given: {topic: orders.in, value: {id: 1}}
                expect: {rejectedBy: mask, reason: quota}"""));
        assertEquals(List.of("rejectedBy: expected keys-required, got none (ACKNOWLEDGED)",
                "reason: expected a reason containing \"key\", got none (ACKNOWLEDGED)"),
            differences("""
                given: {topic: orders.in, key: k, value: {id: 1}}
                expect: {rejectedBy: keys-required, reason: key}"""));
    }

    @Test
    void violationsOnePerReportedFinding() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, value: {}}
            expect: {outcome: ACKNOWLEDGED, violations: [x-team]}"""));
        assertEquals(List.of("violations: expected 0 matching [], got 1 [\"team-header: the record has no 'x-team' "
                + "header\"]"),
            differences("""
                given: {topic: tenant-acme.in, value: {}}
                expect: {violations: []}"""));
        assertEquals(List.of("violations: expected 1 matching [\"x-team\"], got 0 []; none matches [\"x-team\"]"),
            differences("""
                given: {topic: tenant-acme.in, headers: {x-team: ops}, value: {}}
                expect: {violations: [x-team]}"""));
    }

    @Test
    void everyHookARecordSeesRunsWithTheOutcome() throws IOException {
        // when: bob's record passes the recorder, then the key policy rejects it
        assertEquals(List.of(), differences("""
            given: {topic: orders.in, user: bob, value: {id: 1}}
            expect: {outcome: REJECTED}"""));

        // then: onAcknowledgement says REJECTED, with the error the auditing producer gives under sluice run
        assertEquals(List.of("r created", "r onConsume 1", "r onSend orders.in@0",
            "r onAcknowledgement orders.in@0 REJECTED REJECTED: the record has no key",
            "r onCommit [CommittedOffset[topic=orders.in, partition=0, offset=1]]", "r close"), journal.drain());

        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, user: bob, value: {id: 1}}
            expect: {outcome: ACKNOWLEDGED}"""));
        assertEquals("r onAcknowledgement tenant-acme.in@0 ACKNOWLEDGED", journal.drain().get(3));
    }

    @Test
    void signedRoutesTakeTheSignatureOfTheCasesKeyFile() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: signed.in, user: alice, signKeyFile: %s, value: {}}
            expect: {outcome: ACKNOWLEDGED, egressTopic: signed.out, headers: {x-user: alice}}""".formatted(identityKey)));
        assertEquals(List.of(), differences("""
            given: {topic: signed.in, user: alice, value: {}}
            expect: {outcome: REJECTED, rejectedBy: sluice, reason: "sluice-identity-signature is missing"}"""));
        final Path otherKey = Files.writeString(dir.resolve("other.key"),
            Base64.getEncoder().encodeToString(new byte[32]));
        assertEquals(List.of(), differences("""
            given: {topic: signed.in, user: alice, signKeyFile: %s, value: {}}
            expect: {outcome: REJECTED, reason: "does not match"}""".formatted(otherKey)));
    }

    @Test
    void quotaCountsOnAClockThatStandsStill() throws IOException {
        // two records per second: a third at the same instant is over the quota, on every run
        assertEquals(List.of(), differences("""
            given: {topic: tenant-q.in, user: alice, value: {}, repeat: 2}
            expect: {outcome: ACKNOWLEDGED}"""));
        assertEquals(List.of(), differences("""
            given: {topic: tenant-q.in, user: alice, value: {}, repeat: 3}
            expect: {outcome: REJECTED, rejectedBy: quota, reason: "user 'alice' is over its quota of 2 records/s"}"""));
    }

    @Test
    void chaosWithoutASeedIsTheSameOnEveryRunOfATest() throws IOException {
        // given: 50 % corrupted, no seed in the binding: the test's seed decides, the same way each time
        final List<List<String>> outcomes = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            outcomes.add(run("""
                given: {topic: tenant-c.in, value: {id: 1}, repeat: 1}
                expect: {value: {id: 1}}""", """
                given: {topic: tenant-c.in, value: {id: 1}, repeat: 4}
                expect: {value: {id: 1}}""").stream().map(result -> String.join("; ", result.differences())).toList());
        }
        assertEquals(outcomes.get(0), outcomes.get(1));
        assertEquals(outcomes.get(0), outcomes.get(2));
    }

    @Test
    void chaosDuplicatesAreWrittenAndAcknowledgedOnce() throws IOException {
        final PolicyTestRunner.CaseResult result = run("""
            given: {topic: tenant-d.in, value: {id: 1}}
            expect: {outcome: ACKNOWLEDGED, egressTopic: tenant-d.out, value: {id: 1}}""").get(0);
        assertEquals(List.of(), result.differences());
        assertEquals(1, result.ackEvents().size(), result.ackEvents()::toString);
        assertTrue(result.ackEvents().get(0).contains("\"egress\":{\"topic\":\"tenant-d.out\",\"partition\":0,"
            + "\"offset\":0}"), result.ackEvents()::toString);
    }

    @Test
    void thenDescribesTheNextHopAndSaysWhenThereIsNone() throws IOException {
        // this topology has no route reading an egress topic: a next hop expected is a readable failure
        assertEquals(List.of("then: expected a next hop, but no route reads 'orders.out'"), differences("""
            given: {topic: orders.in, key: k, value: {id: 1}}
            expect: {outcome: ACKNOWLEDGED, then: {outcome: ACKNOWLEDGED}}"""));
        assertEquals(List.of("then: expected a next hop, but the record was REJECTED (by keys-required: the record "
                + "has no key)"),
            differences("""
                given: {topic: orders.in, value: {id: 1}}
                expect: {then: {outcome: ACKNOWLEDGED}}"""));
    }

    @Test
    void aRecordLargerThanATopicWithKafkasDefaultsTakesFails() throws IOException {
        assertEquals(List.of(), differences("""
            given: {topic: tenant-acme.in, value: "%s"}
            expect: {outcome: FAILED, egressTopic: _sluice_rejected, reason: "bytes the egress topic 'tenant-acme.out' accepts"}"""
            .formatted("x".repeat(1024 * 1024 + 1))));
    }
}

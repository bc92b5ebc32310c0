package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.sluice.plugins.PluginJars;

/** {@code sluice test} as CI runs it: output lines, exit statuses 0 / 1 / 2, the JUnit report, plugin jars. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TestCommandTest {

    private static final String EXAMPLES = "topologies/examples/bindings";
    private static final String TOPOLOGY = "topologies/default.yaml";

    @TempDir
    Path dir;

    private Path tests(final String yaml) throws Exception {
        return Files.writeString(dir.resolve("tests.yaml"), yaml);
    }

    private static final String PASSING_AND_FAILING = """
        apiVersion: sluice/v1
        kind: InterceptorTest
        metadata: {name: payments}
        spec:
          cases:
            - name: alice is tagged as an analyst
              given: {topic: orders.in, user: alice, groups: [analysts], value: {id: 1}}
              expect: {outcome: ACKNOWLEDGED, headers: {x-team: analysts}}
            - name: bob is tagged too
              given: {topic: orders.in, user: bob, value: {id: 1}}
              expect: {headers: {x-team: analysts}}
        ---
        apiVersion: sluice/v1
        kind: InterceptorTest
        metadata: {name: conduktor}
        spec:
          cases:
            - name: the vcluster's own protection
              given: {topic: tenant-conduktor.in, value: "text"}
              expect: {headers: {x-protection: "Y"}, value: "text", egressTopic: tenant-conduktor.out}
        """;

    @Test
    void printsOneLinePerCaseThenTheCountsAndExitsOneWhenACaseFails() throws Exception {
        // when
        final CliTest.Run run = sluice("test", "-f", EXAMPLES, "--topology", TOPOLOGY,
            tests(PASSING_AND_FAILING).toString());

        // then
        assertEquals(1, run.status(), run.err());
        assertEquals(List.of(
            "PASS payments/alice is tagged as an analyst",
            "FAIL payments/bob is tagged too: headers.x-team: expected \"analysts\", got no such header",
            "PASS conduktor/the vcluster's own protection",
            "2 passed, 1 failed"), run.outLines());
    }

    @Test
    void skipsTheEmptyDocumentsOfATemplatedTestFile() throws Exception {
        // when: a leading ---, a comments-only document and a trailing ---, as templating tools write them
        final CliTest.Run run = sluice("test", "-f", EXAMPLES, "--topology", TOPOLOGY, tests("""
            ---
            # Source: policy-tests/templates/disabled.yaml
            ---
            apiVersion: sluice/v1
            kind: InterceptorTest
            metadata: {name: t}
            spec:
              cases:
                - name: c
                  given: {topic: shared.in, vcluster: conduktor, value: {}}
                  expect: {headers: {x-protection: "Y"}}
            ---
            """).toString());

        // then
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("PASS t/c", "1 passed, 0 failed"), run.outLines());
    }

    @Test
    void exitsZeroWhenEveryCasePassesAndTakesTheDefaultTopology() throws Exception {
        // when: no --topology: topologies/default.yaml of the working directory
        final CliTest.Run run = sluice("test", "-f", EXAMPLES, tests("""
            apiVersion: sluice/v1
            kind: InterceptorTest
            metadata: {name: t}
            spec:
              cases:
                - name: c
                  given: {topic: shared.in, vcluster: conduktor, value: {}}
                  expect: {chain: [add-trace-id, topicProtection], headers: {x-protection: "Y"}}
            """).toString());

        // then
        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("PASS t/c", "1 passed, 0 failed"), run.outLines());
    }

    @Test
    void invalidTestFilesAreRefusedWithEveryProblemNamingFileTestCaseAndField() throws Exception {
        // given
        final Path file = tests("""
            apiVersion: sluice/v1
            kind: InterceptorTest
            metadata: {name: broken}
            spec:
              cases:
                - name: wrong fields
                  given: {topic: nowhere.in, user: [alice], repeat: 0, colour: red}
                  expect: {outcome: LOST, headersMatching: {x-id: "[a-"}, violations: "one"}
                - name: wrong fields
                  given: {topic: orders.in}
                  expect: {}
                - given: {topic: orders.in, signKeyFile: no-such.key}
                  expect: {outcome: ACKNOWLEDGED}
            ---
            apiVersion: sluice/v2
            kind: Interceptor
            metadata: {name: "not a name"}
            spec: {}
            """);

        // when
        final CliTest.Run run = sluice("test", "-f", EXAMPLES, "--topology", TOPOLOGY, file.toString());

        // then: nothing ran, and every problem is there at once
        assertEquals(2, run.status(), run.err());
        assertEquals("", run.out());
        final String at = file + "#1 (broken) case ";
        assertEquals(List.of(
            at + "'wrong fields': spec.cases[0].given.colour: unknown field (expected topic, user, groups, vcluster, "
                + "key, headers, value, timestamp, signKeyFile, repeat)",
            at + "'wrong fields': spec.cases[0].given.topic: no route of the topology reads 'nowhere.in'",
            at + "'wrong fields': spec.cases[0].given.user: must be text",
            at + "'wrong fields': spec.cases[0].given.repeat: must be an integer from 1 to 100000",
            at + "'wrong fields': spec.cases[0].expect.outcome: must be ACKNOWLEDGED, REJECTED or FAILED",
            at + "'wrong fields': spec.cases[0].expect.headersMatching.x-id: is not a valid Java regex: "
                + "Illegal character range",
            at + "'wrong fields': spec.cases[0].expect.violations: must be a list of text",
            at + "'wrong fields': spec.cases[1].name: another case of this test has this name",
            at + "'wrong fields': spec.cases[1].expect: is required, with at least one of outcome, chain, egressTopic, "
                + "key, value, headers, headersMatching, absentHeaders, rejectedBy, reason, violations, then",
            at + "3: spec.cases[2].name: is required",
            at + "3: spec.cases[2].given.signKeyFile: cannot read the key file 'no-such.key': NoSuchFileException",
            file + "#2: apiVersion: must be sluice/v1",
            file + "#2: kind: must be InterceptorTest",
            file + "#2: metadata.name: must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'",
            file + "#2: spec.cases: is required: a list of at least one case with name, given and expect",
            "sluice: 15 problems; no test was run"), run.err().lines().toList());
    }

    @Test
    void invalidBindingsOrTopologyAreBadInputToo() throws Exception {
        final Path tests = tests(PASSING_AND_FAILING);
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: x}
            spec: {plugin: no-such-plugin, priority: 1}
            """);

        final CliTest.Run badBindings = sluice("test", "-f", bindings.toString(), "--topology", TOPOLOGY,
            tests.toString());
        assertEquals(2, badBindings.status());
        assertTrue(badBindings.err().startsWith(bindings + "#1 (x): spec.plugin: unknown plugin 'no-such-plugin'"),
            badBindings.err());

        final CliTest.Run badTopology = sluice("test", "-f", EXAMPLES, "--topology", dir.resolve("none.yaml").toString(),
            tests.toString());
        assertEquals(2, badTopology.status());
        assertTrue(badTopology.err().contains("none.yaml: no such file or folder"), badTopology.err());

        final CliTest.Run noTests = sluice("test", "-f", EXAMPLES);
        assertEquals(2, noTests.status());
    }

    @Test
    void theJUnitReportHasOneSuitePerTestAndTheFailuresAsCiServersReadThem() throws Exception {
        // when
        final Path report = dir.resolve("reports/sluice-tests.xml");
        final CliTest.Run run = sluice("test", "-f", EXAMPLES, "--topology", TOPOLOGY, "--junit", report.toString(),
            tests(PASSING_AND_FAILING).toString());

        // then
        assertEquals(1, run.status(), run.err());
        final Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        final Element root = xml.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("3", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        final NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength());
        final Element payments = (Element) suites.item(0);
        assertEquals("payments", payments.getAttribute("name"));
        assertEquals("2", payments.getAttribute("tests"));
        assertEquals("1", payments.getAttribute("failures"));
        final NodeList cases = payments.getElementsByTagName("testcase");
        final Element passed = (Element) cases.item(0);
        assertEquals("payments", passed.getAttribute("classname"));
        assertEquals("alice is tagged as an analyst", passed.getAttribute("name"));
        assertEquals(0, passed.getElementsByTagName("failure").getLength());
        final Element failed = (Element) cases.item(1);
        assertEquals("bob is tagged too", failed.getAttribute("name"));
        final Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertEquals("headers.x-team: expected \"analysts\", got no such header", failure.getAttribute("message"));
        // the case's acknowledgement event, as sluice audit acks -o json prints it
        final String events = failed.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(events.contains("\"outcome\":\"ACKNOWLEDGED\"") && events.contains("\"username\":\"bob\""), events);
        final Element conduktor = (Element) suites.item(1);
        assertEquals("conduktor", conduktor.getAttribute("name"));
        assertEquals("0", conduktor.getAttribute("failures"));
    }

    @Test
    void customPluginsComeFromThePluginPath() throws Exception {
        // given
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.stampPlugin(plugins.resolve("stamp.jar"), "com.example.stamp", "stamp");
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: stamp-it}
            spec: {plugin: stamp, priority: 1, config: {value: approved}}
            """);
        final Path tests = tests("""
            apiVersion: sluice/v1
            kind: InterceptorTest
            metadata: {name: stamps}
            spec:
              cases:
                - name: stamped
                  given: {topic: orders.in, value: {}}
                  expect: {headers: {x-stamp: approved}}
            """);

        // when
        final CliTest.Run with = sluice("test", "-f", bindings.toString(), "--topology", TOPOLOGY,
            "--plugin-path", plugins.toString(), tests.toString());
        final CliTest.Run without = sluice("test", "-f", bindings.toString(), "--topology", TOPOLOGY,
            tests.toString());

        // then
        assertEquals(0, with.status(), with.out() + with.err());
        assertEquals(List.of("PASS stamps/stamped", "1 passed, 0 failed"), with.outLines());
        assertEquals(2, without.status());
        assertTrue(without.err().contains("spec.plugin: unknown plugin 'stamp'"), without.err());
    }
}

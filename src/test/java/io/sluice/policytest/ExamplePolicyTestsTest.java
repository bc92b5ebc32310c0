package io.sluice.policytest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.cli.SluiceCommand;

/**
 * The policy tests of the example bindings ({@code topologies/examples/tests}) pass, as the README's CI example runs
 * them. The example secrets come from the environment the build sets (pom.xml, surefire), as {@code sluice run}
 * reads them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExamplePolicyTestsTest {

    @Test
    void theWorkedExampleBindingsPassTheirTests() {
        assertEveryCasePasses(6, "test", "-f", "topologies/examples/bindings", "topologies/examples/tests/bindings");
    }

    @Test
    void theExamplePluginBindingsPassTheirTests() {
        assertEveryCasePasses(12, "test", "-f", "topologies/examples/plugins",
            "--topology", "topologies/examples/tests/topology.yaml", "topologies/examples/tests/plugins");
    }

    private static void assertEveryCasePasses(final int cases, final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        final List<String> lines = out.toString().lines().toList();
        assertEquals(0, status, out + "\n" + err);
        assertEquals(cases + " passed, 0 failed", lines.get(lines.size() - 1), out::toString);
        assertTrue(lines.subList(0, lines.size() - 1).stream().allMatch(line -> line.startsWith("PASS ")),
            out::toString);
        assertEquals(cases, lines.size() - 1, out::toString);
    }
}

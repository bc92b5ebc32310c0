package io.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.sluice.bindings.BindingResources;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;
import io.sluice.policytest.JUnitReport;
import io.sluice.policytest.PolicyTestFiles;
import io.sluice.policytest.PolicyTestRunner;
import io.sluice.topology.Routing;
import io.sluice.topology.TopologyFile;
import io.sluice.topology.TopologyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "test", mixinStandardHelpOptions = true,
    description = {"Runs policy tests (kind: InterceptorTest) offline, with no broker: each case's record goes through "
        + "the topology and chain code 'sluice run' runs, with the bindings of -f and the routes of --topology.",
        "Prints 'PASS test/case' or 'FAIL test/case: <what differs>' per case, then 'N passed, M failed'.",
        "Exit status: 0 every case passed, 1 a case failed, 2 bad input (every problem is printed)."})
final class TestCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    PluginPathOptions plugins;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|DIR", required = true,
        description = "The binding resources under test (YAML or JSON; a folder is read recursively).")
    Path bindings;

    @Option(names = "--topology", paramLabel = "FILE",
        description = "The topology file whose routes the records take. Default: topologies/default.yaml.")
    Path topologyFile;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report, for CI servers.")
    Path junit;

    @Parameters(paramLabel = "TESTS", arity = "1..*",
        description = "Test files or folders (kind: InterceptorTest resources, YAML or JSON).")
    List<Path> tests;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final List<Problem> problems = new ArrayList<>();

        final TopologyFiles.Result topology = TopologyFiles.read(topologyFile != null ? topologyFile
            : RunCommand.defaultTopology());
        problems.addAll(topology.problems());
        final PluginRegistry registry;
        try {
            registry = plugins.registry();
        } catch (final UserException e) {
            err.println("sluice: " + SluiceCommand.oneLine(e.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        final BindingResources.Result bindingFiles = BindingResources.read(bindings, registry);
        problems.addAll(bindingFiles.problems());
        final PolicyTestFiles.Result testFiles = topology.isValid()
            ? new PolicyTestFiles(new Routing(topology.topology())).read(tests) : null;
        if (testFiles != null) {
            problems.addAll(testFiles.problems());
        }
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println("sluice: " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; no test was run");
            err.flush();
            return EXIT_BAD_INPUT;
        }

        final TopologyFile file = topology.topology();
        final List<PolicyTestRunner.CaseResult> results =
            new PolicyTestRunner(file, bindingFiles.bindings(), registry).run(testFiles.tests());
        int failed = 0;
        for (final PolicyTestRunner.CaseResult result : results) {
            if (result.passed()) {
                out.println("PASS " + result.label());
            } else {
                failed++;
                out.println("FAIL " + result.label() + ": " + String.join("; ", result.differences()));
            }
        }
        out.println((results.size() - failed) + " passed, " + failed + " failed");
        out.flush();
        if (junit != null) {
            try {
                JUnitReport.write(junit, results);
            } catch (final IOException e) {
                err.println("sluice: --junit " + junit + ": " + SluiceCommand.oneLine(e.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            }
        }
        return failed == 0 ? 0 : EXIT_FAILED;
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.sluice.bindings.BindingDiff;
import io.sluice.common.Json;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice bindings diff}: what {@code bindings apply} would change on the config topic. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = {"Compares binding files with the bindings in force: one line per binding that applying the files "
        + "would create, update (each changed field, spec.config field by field) or — with --prune — delete. "
        + "Secret values show as <redacted>.",
        "Exit status as kubectl diff: 0 no differences, 1 differences, greater than 1 an error (invalid files: every "
            + "problem is printed and nothing is compared)."})
final class BindingsDiffCommand implements Callable<Integer> {

    /** Exit statuses as {@code kubectl diff} has them. */
    static final int EXIT_SAME = 0;
    static final int EXIT_DIFFERENT = 1;
    static final int EXIT_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PluginPathOptions plugins;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|DIR", required = true,
        description = "Binding resources: YAML (documents separated by ---) or JSON; a folder is read recursively.")
    Path file;

    @Option(names = "--prune", description = "Also show the bindings in force that the files do not hold (delete).")
    boolean prune;

    @Option(names = "--config-topic", paramLabel = "TOPIC", defaultValue = TopologyFile.DEFAULT_CONFIG_TOPIC,
        description = "The config topic. Default: ${DEFAULT-VALUE}.")
    String configTopic;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
        description = "table, or json (one object per changed binding per line). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        if (output == OutputFormat.yaml) {
            throw new ParameterException(spec.commandLine(), "-o yaml is not supported here; use table or json");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final BindingsPlan plan;
        try {
            plan = BindingsPlan.of(file, prune, plugins.registry(), kafka.clientProperties(), configTopic, err,
                "nothing was compared");
        } catch (final UserException e) {
            // Exit status 1 means "differences" here: a user error has to be told apart from it.
            err.println("sluice: " + SluiceCommand.oneLine(e.getMessage()));
            err.flush();
            return EXIT_ERROR;
        }
        final List<BindingDiff.Change> changes = plan.changes();
        if (output == OutputFormat.json) {
            changes.forEach(change -> out.println(Json.line(BindingsPlan.toJson(change))));
        } else {
            printTable(out, changes);
        }
        out.flush();
        return changes.isEmpty() ? EXIT_SAME : EXIT_DIFFERENT;
    }

    private static void printTable(final PrintWriter out, final List<BindingDiff.Change> changes) {
        if (changes.isEmpty()) {
            out.println("no differences");
            return;
        }
        final Table table = new Table("ACTION", "NAME", "SCOPE", "CHANGES");
        changes.forEach(change -> table.row(change.action().label(), change.id().name(), change.id().scope(),
            BindingsPlan.describe(change)));
        table.print(out);
        out.println(summary(changes));
    }

    /** {@code 1 to create, 2 to update, 0 to delete}. */
    static String summary(final List<BindingDiff.Change> changes) {
        final Map<BindingDiff.Action, Long> counts = changes.stream()
            .collect(Collectors.groupingBy(BindingDiff.Change::action, Collectors.counting()));
        return counts.getOrDefault(BindingDiff.Action.CREATE, 0L) + " to create, "
            + counts.getOrDefault(BindingDiff.Action.UPDATE, 0L) + " to update, "
            + counts.getOrDefault(BindingDiff.Action.DELETE, 0L) + " to delete";
    }
}

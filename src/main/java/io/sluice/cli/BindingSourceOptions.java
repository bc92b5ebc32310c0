package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where bindings come from: files ({@code -f}, no broker needed) or the config topic. */
final class BindingSourceOptions {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|DIR",
        description = "Binding resources (YAML or JSON; a folder is read recursively) instead of the config topic.")
    Path file;

    @Option(names = "--config-topic", paramLabel = "TOPIC", defaultValue = TopologyFile.DEFAULT_CONFIG_TOPIC,
        description = "The config topic. Default: ${DEFAULT-VALUE}.")
    String configTopic;

    @Mixin
    PluginPathOptions plugins;

    /** The valid bindings; invalid files print every problem to {@code err} and fail. */
    List<Binding> load(final KafkaOptions kafka, final PrintWriter err) {
        final PluginRegistry registry = plugins.registry();
        if (file != null) {
            return readFiles(file, registry, err).bindings();
        }
        return ConfigTopicClient.bindingsInForce(
            ConfigTopicClient.readAll(kafka.clientProperties(), configTopic, new BindingRecords(registry)));
    }

    /** Reads and validates files; prints every problem, one per line, and fails when there is any. */
    static BindingResources.Result readFiles(final Path file, final PluginRegistry plugins, final PrintWriter err) {
        final BindingResources.Result result = BindingResources.read(file, plugins);
        if (!result.isValid()) {
            final List<Problem> problems = result.problems();
            problems.forEach(problem -> err.println(problem));
            err.flush();
            throw new UserException(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in "
                + file + "; nothing was published");
        }
        return result;
    }
}

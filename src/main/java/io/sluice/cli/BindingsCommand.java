package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.Provenance;
import io.sluice.common.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bindings", mixinStandardHelpOptions = true,
    description = "Validates, publishes, deletes and lists interceptor bindings on the config topic.",
    subcommands = {BindingsCommand.Apply.class, BindingsCommand.Delete.class, BindingsCommand.ListBindings.class})
final class BindingsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: apply, delete or list");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Validates every resource of a file or folder, then publishes them all — or, when any is "
            + "invalid, prints every problem (file, resource, field) and publishes nothing.",
            "Creates the config topic (compacted) when it is missing."})
    static final class Apply implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        PluginPathOptions plugins;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE|DIR", required = true,
            description = "Binding resources: YAML (documents separated by ---) or JSON; a folder is read recursively.")
        java.nio.file.Path file;

        @Option(names = "--dry-run", description = "Validate only; publish nothing (no broker needed).")
        boolean dryRun;

        @Option(names = "--config-topic", paramLabel = "TOPIC",
            defaultValue = io.sluice.topology.TopologyFile.DEFAULT_CONFIG_TOPIC,
            description = "The config topic. Default: ${DEFAULT-VALUE}.")
        String configTopic;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final BindingResources.Result result = BindingSourceOptions.readFiles(file, plugins.registry(),
                spec.commandLine().getErr());
            if (dryRun) {
                result.resources().forEach(resource -> out.println("valid: " + resource.binding().id()
                    + " (" + resource.source() + ")"));
                out.println(result.resources().size() + " binding(s) valid; nothing published (--dry-run)");
                out.flush();
                return 0;
            }
            final Instant now = Instant.now();
            final List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
            for (final BindingResources.Resource resource : result.resources()) {
                records.add(new AbstractMap.SimpleImmutableEntry<>(BindingRecords.key(resource.binding().id()),
                    BindingRecords.value(resource.binding(),
                        new Provenance(System.getProperty("user.name"), now, resource.source()))));
            }
            ConfigTopics.ensureExists(kafka.clientProperties(), configTopic);
            ConfigTopicClient.publish(kafka.clientProperties(), configTopic, records);
            result.resources().forEach(resource -> out.println("applied: " + resource.binding().id()));
            out.println(records.size() + " binding(s) published to " + configTopic);
            out.flush();
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Deletes one binding: publishes a tombstone for its identity (name and scope).")
    static final class Delete implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        PluginPathOptions plugins;

        @Parameters(paramLabel = "NAME", description = "The interceptor name.")
        String name;

        @Option(names = "--vcluster", paramLabel = "V", description = "The binding scope's vcluster.")
        String vcluster;

        @ArgGroup(exclusive = true)
        Principal principal = new Principal();

        static final class Principal {
            @Option(names = "--group", paramLabel = "G", description = "The binding scope's group.")
            String group;

            @Option(names = "--username", paramLabel = "U", description = "The binding scope's username.")
            String username;
        }

        @Option(names = "--config-topic", paramLabel = "TOPIC",
            defaultValue = io.sluice.topology.TopologyFile.DEFAULT_CONFIG_TOPIC,
            description = "The config topic. Default: ${DEFAULT-VALUE}.")
        String configTopic;

        @Override
        public Integer call() {
            final BindingId id = new BindingId(name, new BindingScope(vcluster, principal.group, principal.username));
            final List<ConfigTopicClient.Entry> entries = ConfigTopicClient.readAll(kafka.clientProperties(),
                configTopic, new BindingRecords(plugins.registry()));
            final boolean known = entries.stream().anyMatch(entry ->
                (entry.inForce() != null && entry.inForce().id().equals(id))
                    || (entry.invalid() != null && id.equals(entry.invalid().id())));
            if (!known) {
                throw new UserException("no binding " + id + " on " + configTopic + "; nothing was published");
            }
            ConfigTopicClient.publish(kafka.clientProperties(), configTopic,
                List.of(new AbstractMap.SimpleImmutableEntry<>(BindingRecords.key(id), null)));
            spec.commandLine().getOut().println("deleted: " + id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists the bindings on the config topic: those in force, and invalid records (not applied) "
            + "with the reason."})
    static final class ListBindings implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        PluginPathOptions plugins;

        @Option(names = "--config-topic", paramLabel = "TOPIC",
            defaultValue = io.sluice.topology.TopologyFile.DEFAULT_CONFIG_TOPIC,
            description = "The config topic. Default: ${DEFAULT-VALUE}.")
        String configTopic;

        @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "table, json (one object per binding per line) or yaml (resources). Default: ${DEFAULT-VALUE}.")
        OutputFormat output;

        @Override
        public Integer call() {
            final List<ConfigTopicClient.Entry> entries = ConfigTopicClient.readAll(kafka.clientProperties(),
                configTopic, new BindingRecords(plugins.registry()));
            final PrintWriter out = spec.commandLine().getOut();
            switch (output) {
                case table -> printTable(out, entries);
                case json -> entries.forEach(entry -> jsonLines(entry).forEach(line -> out.println(Json.line(line))));
                case yaml -> out.print(yaml(entries));
            }
            out.flush();
            return 0;
        }

        private static void printTable(final PrintWriter out, final List<ConfigTopicClient.Entry> entries) {
            if (entries.isEmpty()) {
                out.println("(no bindings)");
                return;
            }
            final Table table = new Table("STATUS", "NAME", "SCOPE", "PLUGIN", "PRIORITY", "TOPICS", "ONERROR", "REASON");
            for (final ConfigTopicClient.Entry entry : entries) {
                if (entry.inForce() != null) {
                    final Binding binding = entry.inForce().binding();
                    table.row("valid", binding.name(), binding.scope(), binding.plugin(), binding.priority(),
                        binding.topics() == null ? null : binding.topicsText(),
                        binding.onError() == null ? "(default)" : binding.onError().label(), null);
                }
                if (entry.invalid() != null) {
                    final BindingId id = entry.invalid().id();
                    table.row("invalid", id == null ? "?" : id.name(), id == null ? "?" : id.scope(), null, null, null,
                        null, entry.invalid().reason());
                }
            }
            table.print(out);
        }

        private static List<ObjectNode> jsonLines(final ConfigTopicClient.Entry entry) {
            final List<ObjectNode> lines = new ArrayList<>(2);
            if (entry.inForce() != null) {
                final ObjectNode line = Json.object().put("status", "valid");
                line.setAll(BindingResources.toResource(entry.inForce().binding()));
                lines.add(line);
            }
            if (entry.invalid() != null) {
                final BindingId id = entry.invalid().id();
                final ObjectNode line = Json.object().put("status", "invalid");
                line.put("name", id == null ? null : id.name());
                final ObjectNode scope = line.putObject("scope");
                scope.put("vcluster", id == null ? null : id.scope().vcluster());
                scope.put("group", id == null ? null : id.scope().group());
                scope.put("username", id == null ? null : id.scope().username());
                line.put("reason", entry.invalid().reason());
                lines.add(line);
            }
            return lines;
        }

        private static String yaml(final List<ConfigTopicClient.Entry> entries) {
            final Set<BindingId> seen = new HashSet<>();
            final List<Binding> valid = entries.stream().filter(entry -> entry.inForce() != null)
                .map(entry -> entry.inForce().binding()).filter(binding -> seen.add(binding.id())).toList();
            final StringBuilder text = new StringBuilder(BindingResources.toYaml(valid));
            entries.stream().filter(entry -> entry.invalid() != null).forEach(entry -> text.append("# invalid, not applied: ")
                .append(entry.invalid().id() == null ? "?" : entry.invalid().id()).append(": ")
                .append(entry.invalid().reason().replace('\n', ' ')).append('\n'));
            return text.toString();
        }
    }
}

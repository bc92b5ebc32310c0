package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingDiff;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.BindingScope;
import io.sluice.bindings.ConfigRecord;
import io.sluice.bindings.Provenance;
import io.sluice.bindings.Redaction;
import io.sluice.common.Json;
import io.sluice.runtime.BindingLoadStatus;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bindings", mixinStandardHelpOptions = true,
    description = "Validates, publishes, deletes and lists interceptor bindings on the config topic.",
    subcommands = {BindingsCommand.Apply.class, BindingsCommand.Delete.class, BindingsCommand.ListBindings.class,
        BindingsDiffCommand.class, BindingsImpactCommand.class})
final class BindingsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: apply, delete, list, diff or impact");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Validates every resource of a file or folder, then publishes those that change — or, when any "
            + "is invalid, prints every problem (file, resource, field) and publishes nothing.",
            "Bindings the config topic already holds unchanged are not published again. With --prune, also deletes "
                + "the bindings in force that the files do not hold, in the same go.",
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

        @Option(names = "--dry-run", description = "Publish nothing. Alone: validate only (no broker needed); with "
            + "--prune: also print what apply would publish and delete.")
        boolean dryRun;

        @Option(names = "--config-topic", paramLabel = "TOPIC",
            defaultValue = io.sluice.topology.TopologyFile.DEFAULT_CONFIG_TOPIC,
            description = "The config topic. Default: ${DEFAULT-VALUE}.")
        String configTopic;

        @Option(names = "--prune", description = {"Also delete (publish tombstones for) the bindings in force that "
            + "the files do not hold, so the topic holds exactly the files. Refused when the files hold no resource.",
            "With --dry-run it reads the config topic and prints what it would do."})
        boolean prune;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            if (dryRun && !prune) {
                // Validation only, offline: what --dry-run has always done.
                final BindingResources.Result result = BindingSourceOptions.readFiles(file, plugins.registry(),
                    spec.commandLine().getErr());
                result.resources().forEach(resource -> out.println("valid: " + resource.binding().id()
                    + " (" + resource.source() + ")"));
                out.println(result.resources().size() + " binding(s) valid; nothing published (--dry-run)");
                out.flush();
                return 0;
            }
            final BindingsPlan plan = BindingsPlan.of(file, prune, plugins.registry(), kafka.clientProperties(),
                configTopic, spec.commandLine().getErr(), "nothing was published");
            final Instant now = Instant.now();
            final Map<BindingId, BindingDiff.Change> changes = new LinkedHashMap<>();
            plan.changes().forEach(change -> changes.put(change.id(), change));
            final List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
            final String suffix = dryRun ? " (dry run)" : "";
            int published = 0;
            int unchanged = 0;
            // Unchanged bindings are not published again: no config-topic churn, no instance restarts.
            for (final BindingResources.Resource resource : plan.files()) {
                final BindingDiff.Change change = changes.get(resource.binding().id());
                if (change == null) {
                    unchanged++;
                    out.println("unchanged: " + resource.binding().id() + suffix);
                    continue;
                }
                published++;
                records.add(new AbstractMap.SimpleImmutableEntry<>(BindingRecords.key(resource.binding().id()),
                    BindingRecords.value(resource.binding(),
                        new Provenance(System.getProperty("user.name"), now, resource.source()))));
                out.println("applied: " + resource.binding().id()
                    + (change.action() == BindingDiff.Action.UPDATE ? " (" + BindingsPlan.describe(change) + ")" : "")
                    + suffix);
            }
            int deleted = 0;
            for (final BindingDiff.Change change : changes.values()) {
                if (change.action() == BindingDiff.Action.DELETE) {
                    deleted++;
                    records.add(new AbstractMap.SimpleImmutableEntry<>(BindingRecords.key(change.id()), null));
                    out.println("deleted: " + change.id() + suffix);
                }
            }
            if (dryRun) {
                out.println(published + " binding(s) to publish, " + deleted + " to delete, " + unchanged
                    + " unchanged; nothing published (--dry-run)");
                out.flush();
                return 0;
            }
            ConfigTopics.ensureExists(kafka.clientProperties(), configTopic);
            if (!records.isEmpty()) {
                ConfigTopicClient.publish(kafka.clientProperties(), configTopic, records);
            }
            out.println(published + " binding(s) published to " + configTopic
                + (deleted > 0 ? ", " + deleted + " deleted" : "")
                + (unchanged > 0 ? ", " + unchanged + " unchanged (not republished)" : ""));
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
            // Secret config values never leave as they are (Redaction): the JSON and YAML forms show configs.
            final Redaction redaction = new Redaction(plugins.registry());
            final List<ConfigTopicClient.Entry> entries = ConfigTopicClient.readAll(kafka.clientProperties(),
                configTopic, new BindingRecords(plugins.registry()));
            // The reports name binding versions by a fingerprint of the binding as it is, before redaction.
            final NotLoadable notLoadable = NotLoadable.read(kafka.clientProperties(), configTopic)
                .ofVersionsInForce(entries);
            final List<ConfigTopicClient.Entry> shown = entries.stream()
                .map(entry -> entry.inForce() == null ? entry : new ConfigTopicClient.Entry(
                    new ConfigRecord.Valid(redaction.redact(entry.inForce().binding()), entry.inForce().provenance()),
                    entry.invalid()))
                .toList();
            final PrintWriter out = spec.commandLine().getOut();
            switch (output) {
                case table -> printTable(out, shown, notLoadable);
                case json -> shown.forEach(entry -> jsonLines(entry, notLoadable).forEach(line -> out.println(Json.line(line))));
                case yaml -> out.print(yaml(shown));
            }
            out.flush();
            return 0;
        }

        private static void printTable(final PrintWriter out, final List<ConfigTopicClient.Entry> entries,
                                       final NotLoadable notLoadable) {
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
                    for (final BindingLoadStatus.Report report : notLoadable.of(binding)) {
                        table.row("not loadable", binding.name(), binding.scope(), binding.plugin(), null, null, null,
                            "on " + report.instance() + ": " + report.reason());
                    }
                }
                if (entry.invalid() != null) {
                    final BindingId id = entry.invalid().id();
                    table.row("invalid", id == null ? "?" : id.name(), id == null ? "?" : id.scope(), null, null, null,
                        null, entry.invalid().reason());
                }
            }
            table.print(out);
        }

        /** One identity's {@code -o json} lines: its binding in force, its invalid latest record; the console's too. */
        static List<ObjectNode> jsonLines(final ConfigTopicClient.Entry entry) {
            return jsonLines(entry, NotLoadable.NONE);
        }

        /** The same, with the instances' reports of the binding in force not loadable on them. */
        static List<ObjectNode> jsonLines(final ConfigTopicClient.Entry entry, final NotLoadable notLoadable) {
            final List<ObjectNode> lines = new ArrayList<>(2);
            if (entry.inForce() != null) {
                final ObjectNode line = Json.object().put("status", "valid");
                line.setAll(BindingResources.toResource(entry.inForce().binding()));
                final List<BindingLoadStatus.Report> reports = notLoadable.of(entry.inForce().binding());
                if (!reports.isEmpty()) {
                    // Only when an instance reported one: the line is otherwise what it always was.
                    final ArrayNode instances = line.putArray("notLoadableOn");
                    reports.forEach(report -> instances.addObject().put("instance", report.instance())
                        .put("reason", report.reason()).put("time", report.time()));
                }
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

    /** The instances' reports of bindings they cannot load ({@link BindingLoadStatus}). */
    record NotLoadable(List<BindingLoadStatus.Report> reports) {

        static final NotLoadable NONE = new NotLoadable(List.of());

        static NotLoadable read(final java.util.Properties client, final String configTopic) {
            final List<BindingLoadStatus.Report> reports = new ArrayList<>();
            ConfigTopicClient.latest(client, BindingLoadStatus.topicFor(configTopic)).values().forEach(value -> {
                final BindingLoadStatus.Report report = BindingLoadStatus.decode(value);
                if (report != null) {
                    reports.add(report);
                }
            });
            return new NotLoadable(reports);
        }

        /**
         * Only the reports on the binding versions in force (the fingerprints taken of the bindings as read, before
         * any redaction changes what they print).
         */
        NotLoadable ofVersionsInForce(final List<ConfigTopicClient.Entry> entries) {
            final java.util.Map<BindingId, String> fingerprints = new java.util.HashMap<>();
            entries.stream().filter(entry -> entry.inForce() != null).map(entry -> entry.inForce().binding())
                .forEach(binding -> fingerprints.put(binding.id(), BindingLoadStatus.fingerprint(binding)));
            return new NotLoadable(reports.stream()
                .filter(report -> report.fingerprint().equals(fingerprints.get(report.id()))).toList());
        }

        /** The reports on the binding in force with this identity, by instance. */
        List<BindingLoadStatus.Report> of(final Binding binding) {
            return reports.stream().filter(report -> report.id().equals(binding.id()))
                .sorted(java.util.Comparator.comparing(BindingLoadStatus.Report::instance)).toList();
        }
    }
}

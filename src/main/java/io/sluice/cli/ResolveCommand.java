package io.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingScope;
import io.sluice.common.Json;
import io.sluice.resolution.Chain;
import io.sluice.resolution.Context;
import io.sluice.resolution.IndexedResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "resolve", mixinStandardHelpOptions = true,
    description = {
        "Prints the interceptor chain that applies to a context, in execution order.",
        "Bindings come from files (-f, no broker needed) or from the config topic."
    })
final class ResolveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    BindingSourceOptions source;

    @Option(names = "--vcluster", paramLabel = "V", description = "The vcluster. Default: " + Context.DEFAULT_VCLUSTER + ".")
    String vcluster;

    @Option(names = "--user", paramLabel = "U", description = "The username. Default: the anonymous user.")
    String user;

    @Option(names = "--groups", paramLabel = "G1,G2", split = ",", description = "The user's groups, comma separated.")
    List<String> groups;

    @Option(names = "--topic", paramLabel = "T",
        description = "The ingress topic; bindings whose `topics` do not match it are left out. Default: no topic filter.")
    String topic;

    @Option(names = "--contexts", paramLabel = "FILE",
        description = {"Resolves many contexts: one JSON object per line, "
            + "{\"vcluster\", \"username\", \"groups\": [...], \"topic\"} (any field may be missing);",
            "prints one result per line, in the same order. Needs -f."})
    Path contexts;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        if (output == OutputFormat.yaml) {
            throw new ParameterException(spec.commandLine(), "-o yaml is not supported here; use table or json");
        }
        if (contexts != null && (vcluster != null || user != null || groups != null || topic != null)) {
            throw new ParameterException(spec.commandLine(),
                "--contexts cannot be combined with --vcluster, --user, --groups or --topic");
        }
        final List<Context> toResolve = contexts == null ? List.of(singleContext()) : readContexts(contexts);
        final IndexedResolver resolver = new IndexedResolver();
        resolver.load(source.load(kafka, spec.commandLine().getErr()));

        final PrintWriter out = spec.commandLine().getOut();
        for (final Context context : toResolve) {
            final Chain chain = resolver.resolve(context);
            if (output == OutputFormat.json) {
                out.println(Json.line(toJson(chain)));
            } else {
                printTable(out, context, chain, toResolve.size() > 1);
            }
        }
        out.flush();
        return 0;
    }

    private Context singleContext() {
        return new Context(vcluster, user, groups == null ? Set.of() : Set.copyOf(trimmed(groups)), topic);
    }

    private static List<String> trimmed(final List<String> names) {
        return names.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** The documented shape: {"chain": [{"name", "plugin", "priority", "level", "scope": {"vcluster", "group", "username"}}]}. */
    static ObjectNode toJson(final Chain chain) {
        final ObjectNode result = Json.object();
        final ArrayNode items = result.putArray("chain");
        for (final Binding binding : chain.interceptors()) {
            final BindingScope scope = binding.scope();
            final ObjectNode item = items.addObject()
                .put("name", binding.name())
                .put("plugin", binding.plugin())
                .put("priority", binding.priority())
                .put("level", binding.level().label());
            item.putObject("scope")
                .put("vcluster", scope.vcluster())
                .put("group", scope.group())
                .put("username", scope.username());
        }
        return result;
    }

    private static void printTable(final PrintWriter out, final Context context, final Chain chain,
                                   final boolean withHeading) {
        if (withHeading) {
            out.println("# vcluster=" + context.vcluster() + " user=" + (context.username() == null ? "-" : context.username())
                + " groups=" + String.join(",", new java.util.TreeSet<>(context.groups()))
                + (context.topic() == null ? "" : " topic=" + context.topic()));
        }
        if (chain.isEmpty()) {
            out.println("(empty chain: no binding applies)");
            return;
        }
        final Table table = new Table("#", "NAME", "PLUGIN", "PRIORITY", "LEVEL", "SCOPE", "TOPICS");
        int position = 1;
        for (final Binding binding : chain.interceptors()) {
            table.row(position++, binding.name(), binding.plugin(), binding.priority(), binding.level().label(),
                binding.scope(), binding.topics() == null ? null : binding.topicsText());
        }
        table.print(out);
    }

    private static List<Context> readContexts(final Path file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (final NoSuchFileException e) {
            throw new UserException("--contexts " + file + ": no such file");
        } catch (final IOException e) {
            throw new UserException("--contexts " + file + ": cannot read: " + e.getMessage());
        }
        final List<Context> contexts = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                contexts.add(parseContext(file + ":" + (i + 1), line));
            }
        }
        return contexts;
    }

    private static Context parseContext(final String where, final String line) {
        final JsonNode node;
        try {
            node = Json.parse(line);
        } catch (final JsonProcessingException e) {
            throw new UserException(where + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new UserException(where + ": not a JSON object");
        }
        final Set<String> known = Set.of("vcluster", "username", "groups", "topic");
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                throw new UserException(where + ": unknown field '" + field + "' (expected vcluster, username, groups, topic)");
            }
        });
        final Set<String> groups = new LinkedHashSet<>();
        final JsonNode groupsNode = node.path("groups");
        if (!groupsNode.isMissingNode() && !groupsNode.isNull()) {
            if (!groupsNode.isArray()) {
                throw new UserException(where + ": groups: must be an array of strings");
            }
            for (final JsonNode group : groupsNode) {
                if (!group.isTextual()) {
                    throw new UserException(where + ": groups: must be an array of strings");
                }
                groups.add(group.asText());
            }
        }
        return new Context(text(where, node, "vcluster"), text(where, node, "username"), groups,
            text(where, node, "topic"));
    }

    private static String text(final String where, final JsonNode node, final String field) {
        final JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new UserException(where + ": " + field + ": must be a string");
        }
        return value.asText();
    }
}

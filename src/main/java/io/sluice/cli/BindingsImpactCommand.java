package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.audit.AuditDecoder;
import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.bindings.Binding;
import io.sluice.common.Json;
import io.sluice.resolution.Chain;
import io.sluice.resolution.ChainImpact;
import io.sluice.resolution.Context;
import io.sluice.resolution.IndexedResolver;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bindings impact}: which real contexts' chains a change to the bindings would change. Reads the
 * acknowledgement events of a window, keeps one count per distinct context (so memory grows with the contexts, not
 * the events), and resolves every context under the bindings in force and under the bindings after {@code apply}.
 */
@Command(name = "impact", mixinStandardHelpOptions = true,
    description = {"Which real contexts' chains applying binding files would change: reads the distinct contexts "
        + "(vcluster, user, groups, topic) of the acknowledgement events of a window, resolves each under the bindings "
        + "in force and under the bindings as they would be (with --prune: exactly the files), and prints each context "
        + "whose chain changes, with its number of records.",
        "The table ends with 'N of M contexts change, covering R records'; how long reading took goes to stderr."})
final class BindingsImpactCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PluginPathOptions plugins;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE|DIR", required = true,
        description = "Binding resources: YAML (documents separated by ---) or JSON; a folder is read recursively.")
    Path file;

    @Option(names = "--prune", description = "Compare with exactly the files: bindings they do not hold are deleted.")
    boolean prune;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h", converter = AuditCommand.SinceConverter.class,
        description = "The window of acknowledgement events: 30s, 10m, 2h, 7d, 1h30m, or ISO-8601. Default: ${DEFAULT-VALUE}.")
    Duration since;

    @Option(names = "--topology", paramLabel = "FILE",
        description = "Read the config and acknowledgement topic names, and the schema registry of events written in "
            + "its wire format, from this topology file.")
    Path topology;

    @Option(names = "--config-topic", paramLabel = "TOPIC",
        description = "The config topic. Default: the topology's, else " + TopologyFile.DEFAULT_CONFIG_TOPIC + ".")
    String configTopic;

    @Option(names = "--acks-topic", paramLabel = "TOPIC",
        description = "The acknowledgement events' topic. Default: the topology's, else _sluice_audit_acks.")
    String acksTopic;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
        description = "table, or json (one object per changing context per line). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Override
    public Integer call() {
        if (output == OutputFormat.yaml) {
            throw new ParameterException(spec.commandLine(), "-o yaml is not supported here; use table or json");
        }
        final TopologyFile topologyFile = topology == null ? null : RunCommand.readTopology(topology);
        final String config = configTopic != null ? configTopic
            : topologyFile != null ? topologyFile.configTopic() : TopologyFile.DEFAULT_CONFIG_TOPIC;
        final String acks = acksTopic != null ? acksTopic
            : (topologyFile != null ? topologyFile.auditTopics() : TopologyFile.AuditTopics.DEFAULT).acks();
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();

        final BindingsPlan plan = BindingsPlan.of(file, prune, plugins.registry(), kafka.clientProperties(), config,
            err, "nothing was compared");
        final Instant notBefore = Instant.now().minus(since);
        final long started = System.nanoTime();
        // Events in the registry's wire format (a topology with schemaRegistry) are read as sluice audit reads them.
        final ContextCounts counts = ContextCounts.read(kafka, acks,
            AuditDecoder.acks(AuditCommand.Options.registry(topologyFile))::decode, notBefore, err);
        final List<ChainImpact.Affected> affected = ChainImpact.affected(counts.records(), resolver(plan.inForce()),
            resolver(plan.after(prune)));
        final double seconds = (System.nanoTime() - started) / 1e9;
        err.println(String.format(Locale.ROOT, "sluice: read %d acknowledgement event(s) since %s from %s and resolved "
                + "%d distinct context(s) twice in %.1f s", counts.events(), notBefore, acks, counts.records().size(),
            seconds));
        err.flush();

        if (output == OutputFormat.json) {
            affected.forEach(context -> out.println(Json.line(toJson(context))));
        } else {
            printTable(out, affected);
            out.println(affected.size() + " of " + counts.records().size() + " contexts change, covering "
                + affected.stream().mapToLong(ChainImpact.Affected::records).sum() + " records");
        }
        out.flush();
        return 0;
    }

    /** Each context resolved once: no cache, whose entries would only cost memory. */
    private static IndexedResolver resolver(final List<Binding> bindings) {
        final IndexedResolver resolver = new IndexedResolver(0);
        resolver.load(bindings);
        return resolver;
    }

    /** The documented shape: {@code {"context": {...}, "records": N, "before": [chain], "after": [chain]}}. */
    static ObjectNode toJson(final ChainImpact.Affected affected) {
        final ObjectNode line = Json.object();
        final Context context = affected.context();
        final ObjectNode contextJson = line.putObject("context")
            .put("vcluster", context.vcluster())
            .put("username", context.username());
        final ArrayNode groups = contextJson.putArray("groups");
        context.groups().forEach(groups::add);
        contextJson.put("topic", context.topic());
        line.put("records", affected.records());
        line.set("before", ResolveCommand.toJson(affected.before()).get("chain"));
        line.set("after", ResolveCommand.toJson(affected.after()).get("chain"));
        return line;
    }

    private static void printTable(final PrintWriter out, final List<ChainImpact.Affected> affected) {
        if (affected.isEmpty()) {
            return;
        }
        final Table table = new Table("VCLUSTER", "USER", "GROUPS", "TOPIC", "RECORDS", "BEFORE", "AFTER");
        for (final ChainImpact.Affected context : affected) {
            table.row(context.context().vcluster(), context.context().username(),
                context.context().groups().isEmpty() ? null : String.join(",", context.context().groups()),
                context.context().topic(), context.records(), chain(context.before(), null),
                chain(context.after(), context.before()));
        }
        table.print(out);
    }

    /**
     * A chain as {@code name, name:group, ...}; with {@code before}, an interceptor that runs differently than it did
     * (another plugin, priority, onError or config) is marked {@code *}. {@code (none)} for an empty chain.
     */
    private static String chain(final Chain chain, final Chain before) {
        if (chain.isEmpty()) {
            return "(none)";
        }
        return chain.interceptors().stream().map(binding -> {
            final String name = binding.name() + (binding.scope().group() == null ? "" : ":" + binding.scope().group());
            final boolean changed = before != null && before.interceptors().stream()
                .anyMatch(old -> old.id().equals(binding.id()) && !ChainImpact.sameRun(old, binding));
            return changed ? name + "*" : name;
        }).collect(Collectors.joining(","));
    }

    /** Records per distinct context of the acknowledgement events since a time. */
    record ContextCounts(Map<Context, Long> records, long events) {

        static ContextCounts read(final KafkaOptions kafka, final String topic,
                                  final Function<byte[], List<AckEvent>> decoder, final Instant notBefore,
                                  final PrintWriter err) {
            final Map<Context, long[]> counts = new HashMap<>();
            final long[] events = {0};
            // A whole window is read in one pass: large fetches and polls (the client settings given still win).
            final Properties client = kafka.clientProperties();
            client.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
            client.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
            client.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
            try (AuditTopicReader<AckEvent> reader = new AuditTopicReader<AckEvent>(client, topic, decoder,
                err).from(notBefore)) {
                reader.toEnd(event -> {
                    if (!event.getTime().isBefore(notBefore)) {
                        events[0]++;
                        final AckContext context = event.getContext();
                        counts.computeIfAbsent(new Context(context.getVcluster(), context.getUsername(),
                            Context.groupSet(context.getGroups()), event.getIngress().getTopic()),
                            key -> new long[1])[0]++;
                    }
                }, () -> { });
            }
            final Map<Context, Long> records = new HashMap<>(counts.size() * 2);
            counts.forEach((context, count) -> records.put(context, count[0]));
            return new ContextCounts(records, events[0]);
        }
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.audit.AuditDecoder;
import io.sluice.audit.AuditJson;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AuditError;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.CommitOutcome;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.common.Json;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaRegistrySettings;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Queries the audit topics: one acknowledgement event per ingress record (acks), one event per "
        + "offset commit (commits). Reads committed events only (read_committed).",
        "Without --follow it stops at the end of the topic. Undecodable records are skipped with a warning."},
    subcommands = {AuditCommand.Acks.class, AuditCommand.Commits.class})
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: acks or commits");
    }

    @Command(name = "acks", mixinStandardHelpOptions = true,
        description = "Acknowledgement events: what became of each ingress record, and where it landed.")
    static final class Acks implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        Options options;

        @Option(names = "--user", paramLabel = "U", description = "Only events of this user (sluice-user header).")
        String user;

        @Option(names = "--vcluster", paramLabel = "V", description = "Only events of this vcluster.")
        String vcluster;

        @Override
        public Integer call() {
            final AckOutcome outcome = options.outcome(spec, AckOutcome::valueOf, AckOutcome.values());
            final Predicate<AckEvent> filter = event -> (user == null || user.equals(event.getContext().getUsername()))
                && (vcluster == null || vcluster.equals(event.getContext().getVcluster()))
                && (outcome == null || outcome == event.getOutcome())
                && options.inTime(event.getTime());
            final Table table = new Table("TIME", "OUTCOME", "VCLUSTER", "USER", "INGRESS", "EGRESS", "ERROR");
            return options.read(spec, kafka, TopologyFile.AuditTopics::acks,
                registry -> AuditDecoder.acks(registry)::decode, filter,
                AuditJson::ack, table, event -> new Object[] {time(event.getTime()), event.getOutcome(),
                    event.getContext().getVcluster(), event.getContext().getUsername(), position(event.getIngress()),
                    event.getEgress() == null ? null : position(event.getEgress()), error(event.getError())});
        }
    }

    @Command(name = "commits", mixinStandardHelpOptions = true,
        description = "Commit events: the ingress offsets each instance committed (the next offsets to consume).")
    static final class Commits implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        Options options;

        @Override
        public Integer call() {
            final CommitOutcome outcome = options.outcome(spec, CommitOutcome::valueOf, CommitOutcome.values());
            final Predicate<CommitEvent> filter = event -> (outcome == null || outcome == event.getOutcome())
                && options.inTime(event.getTime());
            final Table table = new Table("TIME", "OUTCOME", "INSTANCE", "OFFSETS", "ERROR");
            return options.read(spec, kafka, TopologyFile.AuditTopics::commits,
                registry -> AuditDecoder.commits(registry)::decode, filter,
                AuditJson::commit, table, event -> new Object[] {time(event.getTime()), event.getOutcome(),
                    event.getInstance(), event.getOffsets().stream().map(AuditCommand::position)
                        .collect(Collectors.joining(" ")), error(event.getError())});
        }
    }

    /** What both subcommands take, and how both read their topic. */
    static final class Options {

        @Option(names = "--topology", paramLabel = "FILE",
            description = "Read the audit topic names, and the schema registry of events written in its wire"
                + " format, from this topology file (else $SLUICE_SCHEMA_REGISTRY_URL).")
        Path topology;

        @Option(names = "--topic", paramLabel = "T",
            description = "The audit topic. Default: the topology's, else _sluice_audit_acks / _sluice_audit_commits.")
        String topic;

        @Option(names = "--outcome", paramLabel = "O",
            description = "Only events with this outcome (acks: ACKNOWLEDGED, REJECTED, FAILED; "
                + "commits: COMMITTED, FAILED).")
        String outcome;

        @Option(names = "--since", paramLabel = "DURATION", converter = SinceConverter.class,
            description = "Only events of the last DURATION: 30s, 10m, 2h, 7d, 1h30m, or ISO-8601 (PT5M, P1DT2H).")
        Duration since;

        @Option(names = "--follow", description = "Keep reading new events until Ctrl-C.")
        boolean follow;

        @Option(names = {"-o", "--output"}, defaultValue = "table",
            description = "table or json (one object per event per line). Default: ${DEFAULT-VALUE}.")
        OutputFormat output;

        private Instant notBefore;

        <E extends Enum<E>> E outcome(final CommandSpec spec, final Function<String, E> parse, final E[] values) {
            if (outcome == null) {
                return null;
            }
            try {
                return parse.apply(outcome.strip().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--outcome '" + outcome + "': not one of "
                    + Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }

        boolean inTime(final Instant time) {
            return notBefore == null || !time.isBefore(notBefore);
        }

        <T> int read(final CommandSpec spec, final KafkaOptions kafka,
                     final Function<TopologyFile.AuditTopics, String> topicOf,
                     final Function<SchemaRegistryClient, Function<byte[], ? extends List<? extends T>>> decoder,
                     final Predicate<T> filter, final Function<T, ObjectNode> json, final Table table,
                     final Function<T, Object[]> row) {
            final TopologyFile file = topology == null ? null : RunCommand.readTopology(topology);
            final String name = topic(spec, topicOf, file);
            final Function<byte[], ? extends List<? extends T>> codec = decoder.apply(registry(file));
            notBefore = since == null ? null : Instant.now().minus(since);
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Consumer<T> print = event -> {
                if (filter.test(event)) {
                    print(out, table, json.apply(event), row.apply(event));
                }
            };
            try (AuditTopicReader<T> reader = new AuditTopicReader<T>(kafka.clientProperties(), name, codec, err)
                .from(notBefore)) {
                if (follow) {
                    final Signals signals = Signals.trapStop();
                    if (output == OutputFormat.table) {
                        out.println(String.join("  ", table.header()));
                        out.flush();
                    }
                    reader.follow(print, out::flush, signals::stopRequested);
                } else {
                    reader.toEnd(print, out::flush);
                }
            }
            if (output == OutputFormat.table && !follow) {
                if (table.isEmpty()) {
                    err.println("sluice: no matching events in '" + name + "'");
                    err.flush();
                } else {
                    table.print(out);
                }
            }
            out.flush();
            return 0;
        }

        /** The registry of framed events: the topology's, else {@code $SLUICE_SCHEMA_REGISTRY_URL}'s, else none. */
        static SchemaRegistryClient registry(final TopologyFile file) {
            SchemaRegistrySettings settings = file == null ? null : file.schemaRegistry();
            if (settings == null) {
                final StringBuilder problems = new StringBuilder();
                settings = SchemaRegistrySettings.read(null, System::getenv,
                    (field, message) -> problems.append(SchemaRegistrySettings.URL_ENV).append(": ").append(message));
                if (problems.length() > 0) {
                    throw new UserException(problems.toString());
                }
            }
            return settings == null ? null : new SchemaRegistryClient(settings);
        }

        private String topic(final CommandSpec spec, final Function<TopologyFile.AuditTopics, String> topicOf,
                             final TopologyFile file) {
            if (output == OutputFormat.yaml) {
                throw new ParameterException(spec.commandLine(), "-o yaml is not supported here; use table or json");
            }
            if (topology != null && topic != null) {
                throw new ParameterException(spec.commandLine(), "use --topology or --topic, not both");
            }
            if (topic != null) {
                return topic;
            }
            return topicOf.apply(file != null ? file.auditTopics() : TopologyFile.AuditTopics.DEFAULT);
        }

        /** JSON lines go out at once; table rows are collected and aligned, except when following. */
        private void print(final PrintWriter out, final Table table, final ObjectNode json, final Object[] row) {
            if (output == OutputFormat.json) {
                out.println(Json.line(json));
            } else if (follow) {
                out.println(Arrays.stream(row).map(cell -> cell == null ? "-" : String.valueOf(cell))
                    .collect(Collectors.joining("  ")));
            } else {
                table.row(row);
            }
        }
    }

    /**
     * {@code --since}: a positive duration, either ISO-8601 ({@code PT5M}, {@code P1DT2H}) or numbers with the units
     * {@code ms s m h d w}, which may be combined ({@code 1h30m}).
     */
    static final class SinceConverter implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
        private static final Pattern SIMPLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");

        @Override
        public Duration convert(final String text) {
            return parse(text);
        }

        static Duration parse(final String text) {
            final String value = text.strip().toLowerCase(Locale.ROOT);
            final Duration duration;
            if (value.startsWith("p")) {
                try {
                    duration = Duration.parse(value.toUpperCase(Locale.ROOT));
                } catch (final DateTimeParseException e) {
                    throw invalid(text);
                }
            } else if (SIMPLE.matcher(value).matches()) {
                Duration sum = Duration.ZERO;
                final Matcher part = PART.matcher(value);
                try {
                    while (part.find()) {
                        sum = sum.plus(amount(part.group(1), part.group(2), text));
                    }
                } catch (final ArithmeticException e) {
                    throw invalid(text);
                }
                duration = sum;
            } else {
                throw invalid(text);
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + text + "': the duration must be positive");
            }
            return duration;
        }

        private static Duration amount(final String number, final String unit, final String text) {
            final long value;
            try {
                value = Long.parseLong(number);
            } catch (final NumberFormatException e) {
                throw invalid(text);
            }
            return switch (unit) {
                case "ms" -> Duration.ofMillis(value);
                case "s" -> Duration.ofSeconds(value);
                case "m" -> Duration.ofMinutes(value);
                case "h" -> Duration.ofHours(value);
                case "d" -> Duration.ofDays(value);
                default -> Duration.ofDays(Math.multiplyExact(value, 7));
            };
        }

        private static CommandLine.TypeConversionException invalid(final String text) {
            return new CommandLine.TypeConversionException("'" + text
                + "' is not a duration: use e.g. 30s, 10m, 2h, 7d, 1h30m, or ISO-8601 such as PT5M");
        }
    }

    private static String time(final Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String position(final TopicPartitionOffset position) {
        return position.getTopic() + "-" + position.getPartition() + "@" + position.getOffset();
    }

    private static String error(final AuditError error) {
        if (error == null) {
            return null;
        }
        return error.getKind() + (error.getInterceptor() == null ? "" : " (" + error.getInterceptor() + ")") + ": "
            + SluiceCommand.oneLine(error.getMessage());
    }
}

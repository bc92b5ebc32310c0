package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;
import io.sluice.keys.DekRecord;
import io.sluice.keys.DekScope;
import io.sluice.keys.KeyringException;
import io.sluice.keys.KeyringSpec;
import io.sluice.keys.Keyrings;
import io.sluice.topology.TopologyFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice keys list|rotate|shred|rewrap}: the data keys of the topology's keyrings, in its key topic. Output
 * names keys by id, keyring, scope and version, never their material. {@code rotate} and {@code rewrap} wrap keys,
 * so they need the keyring's KEKs (run them where the instances' {@code kekFile} / {@code kekEnv} is);
 * {@code list} and {@code shred} do not.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Lists, rotates and shreds the data keys of the topology's keyrings (envelope encryption).",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Shred.class,
        KeysCommand.Rewrap.class})
final class KeysCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "a subcommand is required: list, rotate, shred or rewrap");
    }

    /** What every keys command needs: Kafka and the topology (its key topic and keyrings). */
    static final class Options {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--topology", paramLabel = "FILE",
            description = "The topology whose keyrings and key topic to use. Default: topologies/default.yaml.")
        Path topology;

        TopologyFile topology() {
            return RunCommand.readTopology(topology);
        }

        /** Opens the key topic (read to its end, not followed), with the KEKs of the {@code keyrings} named. */
        Keyrings open(final TopologyFile topology, final List<String> keyrings) {
            final Map<String, KeyringSpec> specs = new LinkedHashMap<>();
            keyrings.forEach(name -> specs.put(name, spec(topology, name)));
            try {
                return Keyrings.open(topology.keyTopic(), specs, ConfigTopicClient.commandClient(kafka.clientProperties()),
                    System::getenv, false);
            } catch (final KeyringException e) {
                throw new UserException(e.getMessage());
            }
        }

        static KeyringSpec spec(final TopologyFile topology, final String keyring) {
            final KeyringSpec spec = topology.keyrings().get(keyring);
            if (spec == null) {
                throw new UserException("keyring '" + keyring + "' is not in the topology (its keyrings: "
                    + topology.keyrings().keySet() + ")");
            }
            return spec;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the data keys: keyring, DEK id, version, scope value, KEK, creation time. Never key material.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Option(names = "--keyring", paramLabel = "K", description = "Only this keyring's keys.")
        String keyring;

        @Option(names = "-o", paramLabel = "table|json", defaultValue = "table",
            description = "Output format: table or json (one object per key per line). Default: ${DEFAULT-VALUE}.")
        OutputFormat output;

        @Option(names = "--usage", description = "Also count the records of the window encrypted with each key "
            + "(from the acknowledgement events, which list the key ids their records carried).")
        boolean usage;

        @Option(names = "--since", paramLabel = "DURATION", converter = AuditCommand.SinceConverter.class,
            description = "With --usage: the window, e.g. 30d, 12h, PT1H. Default: 30d.")
        Duration since;

        @Override
        public Integer call() {
            final TopologyFile topology = options.topology();
            if (keyring != null) {
                Options.spec(topology, keyring);
            }
            if (since != null && !usage) {
                throw new UserException("--since goes with --usage");
            }
            final PrintWriter out = spec.commandLine().getOut();
            final Map<String, Long> records = usage ? usage(topology,
                since == null ? Duration.ofDays(30) : since) : Map.of();
            final Table table = usage
                ? new Table("KEYRING", "DEK", "VERSION", "SCOPE", "VALUE", "KEK", "CREATED", "RECORDS")
                : new Table("KEYRING", "DEK", "VERSION", "SCOPE", "VALUE", "KEK", "CREATED");
            try (Keyrings keyrings = options.open(topology, List.of())) {
                for (final DekRecord record : keyrings.store().all()) {
                    if (keyring != null && !keyring.equals(record.keyring())) {
                        continue;
                    }
                    final long used = records.getOrDefault(record.dekId(), 0L);
                    if (output == OutputFormat.json) {
                        final ObjectNode json = json(record);
                        if (usage) {
                            json.put("records", used);
                        }
                        out.println(Json.line(json));
                    } else if (usage) {
                        table.row(record.keyring(), record.dekId(), record.version(), record.scope().label(),
                            record.scopeValue().isEmpty() ? "-" : record.scopeValue(), record.kekId(),
                            Instant.ofEpochMilli(record.created()), used);
                    } else {
                        table.row(record.keyring(), record.dekId(), record.version(), record.scope().label(),
                            record.scopeValue().isEmpty() ? "-" : record.scopeValue(), record.kekId(),
                            Instant.ofEpochMilli(record.created()));
                    }
                }
                keyrings.store().invalid().forEach(reason -> spec.commandLine().getErr().println("invalid: " + reason));
            }
            if (output != OutputFormat.json) {
                table.print(out);
            }
            out.flush();
            return 0;
        }

        /**
         * Records per key id in the window, from the acknowledgement events; a key of the list with none was not used
         * by the window's records (rotated away, or its users quiet). Memory: one counter per distinct key id.
         */
        private Map<String, Long> usage(final TopologyFile topology, final Duration window) {
            final Map<String, Long> counts = new HashMap<>();
            final Instant from = Instant.now().minus(window);
            try (AuditTopicReader<io.sluice.avro.AckEvent> reader = new AuditTopicReader<io.sluice.avro.AckEvent>(
                options.kafka.clientProperties(), topology.auditTopics().acks(),
                io.sluice.audit.AuditDecoder.acks(AuditCommand.Options.registry(topology))::decode, spec.commandLine().getErr())
                .from(from)) {
                reader.toEnd(event -> {
                    if (!event.getTime().isBefore(from)) {
                        event.getDataKeys().forEach(id -> counts.merge(id, 1L, Long::sum));
                    }
                }, () -> { });
            }
            return counts;
        }

        static ObjectNode json(final DekRecord record) {
            final ObjectNode node = Json.object();
            node.put("keyring", record.keyring());
            node.put("dekId", record.dekId());
            node.put("version", record.version());
            node.put("scope", record.scope().label());
            node.put("scopeValue", record.scopeValue());
            node.put("kek", record.kekId());
            node.put("created", record.created());
            return node;
        }
    }

    /** {@code --user U | --vcluster V}: the scope value a command is about. */
    static final class ScopeValue {
        @Option(names = "--user", paramLabel = "U", description = "The user's key (keyrings with dekScope: user).")
        String user;

        @Option(names = "--vcluster", paramLabel = "V", description = "The vcluster's key (keyrings with dekScope: vcluster).")
        String vcluster;
    }

    /** The scope value of the command line for that keyring; a mismatch with its dekScope is refused. */
    static String scopeValue(final KeyringSpec spec, final ScopeValue given) {
        final String user = given == null ? null : given.user;
        final String vcluster = given == null ? null : given.vcluster;
        return switch (spec.dekScope()) {
            case NONE -> {
                if (user != null || vcluster != null) {
                    throw new UserException("keyring '" + spec.name() + "' has dekScope none: one key for all records; "
                        + "give neither --user nor --vcluster");
                }
                yield "";
            }
            case USER -> {
                if (user == null) {
                    throw new UserException("keyring '" + spec.name() + "' has dekScope user: say whose key with --user");
                }
                yield user;
            }
            case VCLUSTER -> {
                if (vcluster == null) {
                    throw new UserException("keyring '" + spec.name() + "' has dekScope vcluster: say which with --vcluster");
                }
                yield vcluster;
            }
        };
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Makes a new version of a data key; new records are encrypted with it from then on, on every "
            + "instance within seconds. Older versions still decrypt.", "Needs the keyring's KEKs."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Option(names = "--keyring", paramLabel = "K", required = true, description = "The keyring.")
        String keyring;

        @ArgGroup(exclusive = true)
        ScopeValue scope;

        @Override
        public Integer call() {
            final TopologyFile topology = options.topology();
            final String value = scopeValue(Options.spec(topology, keyring), scope);
            try (Keyrings keyrings = options.open(topology, List.of(keyring))) {
                final DekRecord record = keyrings.rotate(keyring, value);
                spec.commandLine().getOut().println("rotated: " + describe(record));
            } catch (final KeyringException e) {
                throw new UserException(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "shred", mixinStandardHelpOptions = true,
        description = {"Tombstones every data key of a user (crypto-shredding): their encrypted fields can never be "
            + "decrypted again, by anyone. Decryption of their records then fails closed (REJECTED) unless the "
            + "binding says onMissingKey: passEncrypted.", "Copies someone made in plaintext are not affected; see the README."})
    static final class Shred implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Option(names = "--keyring", paramLabel = "K", required = true, description = "The keyring (dekScope: user).")
        String keyring;

        @Option(names = "--user", paramLabel = "U", required = true, description = "The user whose keys to shred.")
        String user;

        @Override
        public Integer call() {
            final TopologyFile topology = options.topology();
            final KeyringSpec keyringSpec = Options.spec(topology, keyring);
            if (keyringSpec.dekScope() != DekScope.USER) {
                throw new UserException("keyring '" + keyring + "' has dekScope " + keyringSpec.dekScope().label()
                    + ": its keys are not per user, so a user's keys cannot be shredded alone");
            }
            final PrintWriter out = spec.commandLine().getOut();
            try (Keyrings keyrings = options.open(topology, List.of())) {
                final List<DekRecord> shredded = keyrings.shred(keyring, user);
                shredded.forEach(record -> out.println("shredded: " + describe(record)));
                out.println(shredded.size() + " data key(s) of user '" + user + "' in keyring '" + keyring
                    + "' shredded");
            } catch (final KeyringException e) {
                throw new UserException(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = {"Rewraps every data key of a keyring with its newest KEK (the first of kekFile), after a KEK "
            + "rotation; records need no re-encryption. Afterwards the old KEK can be removed from kekFile.",
            "Needs the keyring's KEKs."})
    static final class Rewrap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Options options;

        @Option(names = "--keyring", paramLabel = "K", required = true, description = "The keyring.")
        String keyring;

        @Override
        public Integer call() {
            final TopologyFile topology = options.topology();
            Options.spec(topology, keyring);
            final PrintWriter out = spec.commandLine().getOut();
            int rewrapped = 0;
            try (Keyrings keyrings = options.open(topology, List.of(keyring))) {
                for (final DekRecord record : keyrings.store().all()) {
                    if (record.keyring().equals(keyring) && !record.kekId().equals(keyrings.newestKekId(keyring))) {
                        out.println("rewrapped: " + describe(keyrings.rewrap(record)));
                        rewrapped++;
                    }
                }
            } catch (final KeyringException e) {
                throw new UserException(e.getMessage());
            }
            out.println(rewrapped + " data key(s) of keyring '" + keyring + "' rewrapped");
            return 0;
        }
    }

    private static String describe(final DekRecord record) {
        return record.dekId() + " (keyring " + record.keyring() + ", " + record.scope().label()
            + (record.scopeValue().isEmpty() ? "" : " " + record.scopeValue()) + ", version " + record.version()
            + ", KEK " + record.kekId() + ")";
    }
}

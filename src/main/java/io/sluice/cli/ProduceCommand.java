package io.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.sluice.topology.IdentityHeaders;
import io.sluice.topology.IdentitySignature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Writes the lines of standard input to an ingress topic, one record per line, with the context "
        + "headers sluice-user, sluice-groups and sluice-vcluster.",
        "A line 'key<TAB>value' sets the record key; other lines have no key. Empty lines are skipped."})
final class ProduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "T", required = true, description = "The ingress topic.")
    String topic;

    @Option(names = "--user", paramLabel = "U", description = "Sets the header sluice-user.")
    String user;

    @Option(names = "--groups", paramLabel = "G1,G2", description = "Sets the header sluice-groups (comma separated).")
    String groups;

    @Option(names = "--vcluster", paramLabel = "V",
        description = "Sets the header sluice-vcluster (trusted only on routes with vclusterFrom: header).")
    String vcluster;

    @Option(names = "--sign-key-file", paramLabel = "FILE",
        description = "Signs the identity headers with the key in FILE (base64, at least 32 bytes): adds the header "
            + "sluice-identity-signature, which routes with 'identity: signed' require.")
    java.nio.file.Path signKeyFile;

    private IdentitySignature signer;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (signKeyFile != null) {
            try {
                signer = IdentitySignature.fromFile(signKeyFile);
            } catch (final IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        final Properties properties = ConfigTopicClient.commandClient(kafka.clientProperties());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG,
            Long.toString(ConfigTopicClient.KAFKA_TIMEOUT.toMillis()));
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            String line;
            while ((line = stdin.readLine()) != null) {
                if (!line.isEmpty()) {
                    sent.add(producer.send(record(line)));
                }
            }
            producer.flush();
            for (final Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (final ExecutionException e) {
            throw new UserException("writing to '" + topic + "' failed: "
                + SluiceCommand.oneLine(String.valueOf(e.getCause().getMessage())));
        } catch (final KafkaException e) {
            throw ConfigTopicClient.unreachable(properties, e);
        }
        final PrintWriter err = spec.commandLine().getErr();
        err.println(sent.size() + " record(s) written to " + topic);
        err.flush();
        return 0;
    }

    private ProducerRecord<byte[], byte[]> record(final String line) {
        final int tab = line.indexOf('\t');
        final byte[] key = tab < 0 ? null : utf8(line.substring(0, tab));
        final byte[] value = utf8(tab < 0 ? line : line.substring(tab + 1));
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        addHeader(record, IdentityHeaders.USER, user);
        addHeader(record, IdentityHeaders.GROUPS, groups);
        addHeader(record, IdentityHeaders.VCLUSTER, vcluster);
        if (signer != null) {
            signer.sign(record.headers());
        }
        return record;
    }

    private static void addHeader(final ProducerRecord<byte[], byte[]> record, final String name, final String value) {
        if (value != null) {
            record.headers().add(name, utf8(value));
        }
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

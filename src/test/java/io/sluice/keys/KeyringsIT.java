package io.sluice.keys;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.cli.SluiceCommand;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.runtime.SluiceApp;
import io.sluice.runtime.StartupException;
import io.sluice.spi.DataKeys;
import io.sluice.spi.RecordContext;
import io.sluice.testkit.CapturedLogs;
import io.sluice.testkit.KafkaClients;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;
import io.sluice.topology.TopologyFile;
import io.sluice.topology.TopologyFiles;

/**
 * Keyrings on a real broker: data keys made by one instance are read by another through the key topic; rotation,
 * KEK rotation with rewrap, and crypto-shredding through {@code sluice keys}; and records encrypted by one
 * {@code sluice} instance decrypted by another, before and after a rotation, failing closed once a user is shredded.
 */
class KeyringsIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static RecordContext user(final String name) {
        return new RecordContext("payments", name, Set.of(), "orders.in", 0, 0L, 0L);
    }

    @Test
    void anInstanceReadsTheKeysAnotherMadeAndFollowsRotationShreddingAndRewrap() throws Exception {
        // given: a keyring with a KEK, and two processes' keyrings (the second a restarted instance, say)
        final String oldKek = KekTest.newKey();
        final Path kekFile = Files.writeString(dir.resolve("pii.kek"), oldKek + "\n");
        final TopologyFile topology = topology("k1", kekFile);
        KAFKA.createTopic("k1_keys", 1, Map.of("cleanup.policy", "compact"));
        final Keyrings first = open(topology);

        // when: the first encrypts for alice and bob
        final DataKeys.DataKey alice = first.forEncryption("pii", user("alice"));
        final DataKeys.DataKey bob = first.forEncryption("pii", user("bob"));
        assertEquals(alice.id(), first.forEncryption("pii", user("alice")).id(), "one key per user and version");

        // then: an instance started afterwards reads both from the key topic, same key material
        final Keyrings second = open(topology);
        assertEquals(Base64.getEncoder().encodeToString(alice.key().getEncoded()),
            Base64.getEncoder().encodeToString(second.forDecryption(alice.id()).orElseThrow().key().getEncoded()));
        assertEquals(alice.id(), second.forEncryption("pii", user("alice")).id());

        // and: the key topic never holds key material
        for (final ConsumerRecord<byte[], byte[]> record : KAFKA.consumeBytes("k1_keys", 2, Duration.ofSeconds(30),
            IsolationLevel.READ_UNCOMMITTED)) {
            final String text = new String(record.value(), StandardCharsets.UTF_8);
            assertFalse(text.contains(Base64.getEncoder().encodeToString(alice.key().getEncoded()))
                || text.contains(Base64.getEncoder().encodeToString(bob.key().getEncoded())) || text.contains(oldKek), text);
        }

        // when: alice's key is rotated with the CLI
        final String rotated = sluice(topology, "keys", "rotate", "--keyring", "pii", "--user", "alice");

        // then: both running instances use the new version within seconds; the old one still decrypts
        awaitTrue(() -> !first.forEncryption("pii", user("alice")).id().equals(alice.id())
            && !second.forEncryption("pii", user("alice")).id().equals(alice.id()), "both instances use the rotated key");
        final String newAlice = first.forEncryption("pii", user("alice")).id();
        assertEquals(newAlice, second.forEncryption("pii", user("alice")).id());
        assertTrue(rotated.startsWith("rotated: " + newAlice + " (keyring pii, user alice, version 2, KEK "), rotated);
        assertTrue(second.forDecryption(alice.id()).isPresent(), "version 1 still decrypts");

        // when: a new KEK is listed first and every key is rewrapped
        final String newKek = KekTest.newKey();

        // (before the rewrap, an instance holding only the new KEK cannot unwrap the keys: it fails, naming the KEK)
        Files.writeString(kekFile, newKek + "\n");
        final Keyrings tooEarly = open(topology);
        final KeyringException unwrap = assertThrows(KeyringException.class, () -> tooEarly.forDecryption(bob.id()));
        assertTrue(unwrap.getMessage().startsWith("data key '" + bob.id() + "' is wrapped with KEK "), unwrap.getMessage());
        assertFalse(unwrap.getMessage().contains(newKek) || unwrap.getMessage().contains(oldKek));
        Files.writeString(kekFile, newKek + "\n" + oldKek + "\n");
        final String rewrap = sluice(topology, "keys", "rewrap", "--keyring", "pii");
        assertTrue(rewrap.endsWith("3 data key(s) of keyring 'pii' rewrapped"), rewrap);

        // then: an instance holding only the new KEK reads every key
        Files.writeString(kekFile, newKek + "\n");
        final Keyrings newKekOnly = open(topology);
        assertTrue(newKekOnly.forDecryption(alice.id()).isPresent() && newKekOnly.forDecryption(newAlice).isPresent()
            && newKekOnly.forDecryption(bob.id()).isPresent(), "every key unwraps under the new KEK");

        // when: alice is shredded
        final String shred = sluice(topology, "keys", "shred", "--keyring", "pii", "--user", "alice");

        // then: no instance can decrypt her keys any more — not even from its cache — and bob's are untouched
        assertTrue(shred.endsWith("2 data key(s) of user 'alice' in keyring 'pii' shredded"), shred);
        awaitTrue(() -> first.forDecryption(alice.id()).isEmpty() && first.forDecryption(newAlice).isEmpty()
            && second.forDecryption(alice.id()).isEmpty(), "alice's keys are gone everywhere");
        assertTrue(first.forDecryption(bob.id()).isPresent());
        assertNotEquals(newAlice, first.forEncryption("pii", user("alice")).id(), "her next record gets a new key");

        // and: the list shows ids, versions, scope values and KEKs, never material
        final String list = sluice(topology, "keys", "list", "-o", "json");
        final List<JsonNode> keys = list.lines().map(KeyringsIT::json).toList();
        assertEquals(2, keys.size(), list);
        assertEquals(Set.of("alice", "bob"), Set.copyOf(keys.stream().map(key -> key.get("scopeValue").asText()).toList()));
        assertEquals(Set.of("dekId", "keyring", "version", "scope", "scopeValue", "kek", "created"),
            fieldNames(keys.get(0)));
        assertFalse(list.contains(newKek) || list.contains(oldKek));
    }

    @Test
    void recordsEncryptedByOneInstanceDecryptOnAnotherUntilTheUserIsShredded() throws Exception {
        // given: an encrypting app (orders -> sealed) and a decrypting one (sealed -> clear), sharing the key topic;
        // everything logged is captured, to be searched for key material at the end
        final CapturedLogs logs = CapturedLogs.start();
        open.add(logs);
        final StringBuilder cliOutput = new StringBuilder();
        final String kek = KekTest.newKey();
        final Path kekFile = Files.writeString(dir.resolve("pii.kek"), kek);
        KAFKA.createTopic("k2.in", 1);
        final SluiceApp sealing = start("k2-seal", "k2.in", "k2.sealed", kekFile);
        final SluiceApp opening = start("k2-open", "k2.sealed", "k2.clear", kekFile);
        apply("k2-seal", "field-encryption", "");
        apply("k2-open", "field-decryption", "");
        awaitTrue(() -> sealing.resolver().stats().bindings() == 1 && opening.resolver().stats().bindings() == 1,
            "both apps have their binding");

        // when: alice and bob write, alice's key is rotated, alice writes again
        KAFKA.produce("k2.in", record("a1", "alice"), record("b1", "bob"));
        KAFKA.consume("k2.clear", 2, Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED);
        cliOutput.append(sluice(sealing.topology(), "keys", "rotate", "--keyring", "pii", "--user", "alice"));
        Thread.sleep(2_000); // the instance follows the key topic within moments
        KAFKA.produce("k2.in", record("a2", "alice"));

        // then: the sealed topic holds no plaintext, each record names its key; the clear topic holds every card
        final List<ConsumerRecord<String, String>> sealed = KAFKA.consume("k2.sealed", 3, Duration.ofSeconds(60),
            IsolationLevel.READ_COMMITTED);
        sealed.forEach(record -> assertFalse(record.value().contains("4111"), record.value()));
        final Map<String, String> keyIds = new HashMap<>();
        sealed.forEach(record -> keyIds.put(record.key(), KafkaClients.header(record, "sluice-key-id")));
        assertNotEquals(keyIds.get("a1"), keyIds.get("a2"), "alice's second record is under the rotated key");
        assertNotEquals(keyIds.get("a1"), keyIds.get("b1"), "one key per user");
        final List<ConsumerRecord<String, String>> clear = KAFKA.consume("k2.clear", 3, Duration.ofSeconds(60),
            IsolationLevel.READ_COMMITTED);
        clear.forEach(record -> assertEquals("4111111111111111", json(record.value()).path("card").asText(), record.key()));

        // and: the acknowledgement events tell which keys the records needed
        final Map<String, Long> usage = new HashMap<>();
        final String list = sluice(sealing.topology(), "keys", "list", "--usage", "--since", "1h", "-o", "json");
        cliOutput.append(list).append(sluice(sealing.topology(), "keys", "list"));
        list.lines().map(KeyringsIT::json)
            .forEach(key -> usage.put(key.get("dekId").asText(), key.get("records").asLong()));
        assertEquals(Map.of(keyIds.get("a1"), 1L, keyIds.get("b1"), 1L, keyIds.get("a2"), 1L), usage);
        // (the data keys' material, read while it still exists, for the search at the end)
        final Keyrings probe = open(sealing.topology());
        final List<byte[]> dataKeys = keyIds.values().stream()
            .map(id -> probe.forDecryption(id).orElseThrow().key().getEncoded()).toList();

        // when: alice is shredded, and her old records are read again by a fresh decrypting app
        cliOutput.append(sluice(sealing.topology(), "keys", "shred", "--keyring", "pii", "--user", "alice"));
        KAFKA.createTopic("k2.resealed", 1);
        final SluiceApp reopening = start("k2-reopen", "k2.resealed", "k2.reclear", kekFile);
        apply("k2-reopen", "field-decryption", "");
        awaitTrue(() -> reopening.resolver().stats().bindings() == 1, "the third app has its binding");
        KAFKA.produce("k2.resealed", sealedCopy(sealed, "a1"), sealedCopy(sealed, "b1"));

        // then: alice's record is rejected naming her key — never in plaintext — and bob's is clear
        final List<ConsumerRecord<String, String>> rejected = KAFKA.consume("k2-reopen_rejected", 1,
            Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED);
        final List<ConsumerRecord<String, String>> reclear = KAFKA.consume("k2.reclear", 2, Duration.ofSeconds(5),
            IsolationLevel.READ_COMMITTED);
        assertEquals(List.of("b1"), reclear.stream().map(ConsumerRecord::key).toList());
        assertEquals("4111111111111111", json(reclear.get(0).value()).path("card").asText());
        assertEquals("a1", rejected.get(0).key());
        assertTrue(KafkaClients.header(rejected.get(0), "sluice-reason").contains("data key '" + keyIds.get("a1") + "'"),
            KafkaClients.header(rejected.get(0), "sluice-reason"));
        assertFalse(rejected.get(0).value().contains("4111"));

        // and: neither the KEK nor a data key shows in the logs, the CLI's output, the audit or the rejected records
        final StringBuilder audit = new StringBuilder();
        for (final String topic : List.of("k2-seal_acks", "k2-seal_commits", "k2-open_acks", "k2-reopen_acks",
            "k2-reopen_rejected")) {
            for (final ConsumerRecord<byte[], byte[]> record : KafkaClients.consumeBytesToEnd(KAFKA.bootstrapServers(),
                topic, Duration.ofSeconds(60), IsolationLevel.READ_COMMITTED)) {
                audit.append(new String(record.value(), StandardCharsets.ISO_8859_1)).append('\n');
                record.headers().forEach(header -> audit.append(header.key()).append('=')
                    .append(new String(header.value(), StandardCharsets.ISO_8859_1)).append('\n'));
            }
        }
        final Map<String, String> outputs = Map.of("logs", logs.text(), "sluice keys output", cliOutput.toString(),
            "audit topics and rejected records", audit.toString());
        assertTrue(logs.text().contains("k2-seal") && audit.toString().contains("alice"), "the search has material");
        final List<String> secrets = new ArrayList<>(CapturedLogs.forms(kek));
        dataKeys.forEach(key -> secrets.addAll(CapturedLogs.forms(key)));
        CapturedLogs.assertAbsent(secrets, outputs);
    }

    @Test
    void anInstanceThatCannotReadItsKekOrKeyTopicDoesNotStart() throws Exception {
        // given: a KEK file that is not there
        final StartupException noKek = assertThrows(StartupException.class,
            () -> start("k3", "k3.in", "k3.out", dir.resolve("missing.kek")));
        assertEquals("keyring 'pii': cannot read the KEK file '" + dir.resolve("missing.kek") + "': no such file",
            noKek.getMessage());

        // and: a key topic the cluster does not have (and that cannot be read)
        final TopologyFile topology = topology("k4", Files.writeString(dir.resolve("k4.kek"), KekTest.newKey()));
        final KeyringException noTopic = assertThrows(KeyringException.class, () -> open(topology));
        assertTrue(noTopic.getMessage().startsWith("cannot read the key topic 'k4_keys'")
            || noTopic.getMessage().equals("the key topic 'k4_keys' does not exist"), noTopic.getMessage());
    }

    // ---- helpers

    private TopologyFile topology(final String name, final Path kekFile) throws Exception {
        return read(name, name + ".in", name + ".out", kekFile);
    }

    private TopologyFile read(final String name, final String ingress, final String egress, final Path kekFile)
        throws Exception {
        final TopologyFiles.Result result = TopologyFiles.read(Files.writeString(dir.resolve(name + ".yaml"), """
            applicationId: %1$s
            configTopic: %1$s_bindings
            auditTopics: {acks: %1$s_acks, commits: %1$s_commits}
            rejectedTopic: %1$s_rejected
            keyTopic: %4$s
            keyrings:
              pii: {kekFile: "%5$s", dekScope: user}
            routes:
              - {ingress: %2$s, egress: %3$s, vcluster: payments}
            """.formatted(name, ingress, egress, name.startsWith("k2") ? "k2_keys" : name + "_keys", kekFile)));
        assertTrue(result.isValid(), result.problems()::toString);
        return result.topology();
    }

    private Keyrings open(final TopologyFile topology) {
        final Keyrings keyrings = Keyrings.open(topology.keyTopic(), topology.keyrings(), client(), System::getenv, true);
        open.add(keyrings);
        return keyrings;
    }

    private SluiceApp start(final String name, final String ingress, final String egress, final Path kekFile)
        throws Exception {
        final SluiceApp app = new SluiceApp(read(name, ingress, egress, kekFile), client(), dir.resolve(name),
            PluginRegistry.load());
        open.add(app);
        app.start();
        assertTrue(app.awaitRunning(Duration.ofSeconds(60)), name + " reached RUNNING");
        return app;
    }

    private void apply(final String app, final String plugin, final String extra) throws Exception {
        final Path file = Files.writeString(dir.resolve(app + "-bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: cards}
            spec: {plugin: %s, priority: 1, config: {keyring: pii, fields: [card]%s}}
            """.formatted(plugin, extra));
        run("bindings", "apply", "-f", file.toString(), "--config-topic", app + "_bindings");
    }

    private static TestRecord record(final String key, final String user) {
        return TestRecord.of(key, "{\"id\":\"" + key + "\",\"card\":\"4111111111111111\"}").header("sluice-user", user);
    }

    private static TestRecord sealedCopy(final List<ConsumerRecord<String, String>> sealed, final String key) {
        final ConsumerRecord<String, String> original = sealed.stream().filter(r -> r.key().equals(key)).findFirst()
            .orElseThrow();
        TestRecord copy = TestRecord.of(key, original.value());
        for (final Header header : original.headers()) {
            copy = copy.header(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return copy;
    }

    /** {@code sluice <args>} against the topology (written to a file) with the client's servers; its stdout. */
    private String sluice(final TopologyFile topology, final String... args) throws Exception {
        final Path file = dir.resolve(topology.applicationId() + ".yaml");
        return run(Stream.concat(Stream.of(args), Stream.of("--topology", file.toString())).toArray(String[]::new));
    }

    private static String run(final String... args) {
        final String[] withServers = Stream.concat(Stream.of(args),
            Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return out.toString().strip();
    }

    private static Properties client() {
        final Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return client;
    }

    private static Set<String> fieldNames(final JsonNode node) {
        final Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(final String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (final Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what) {
        await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(condition::getAsBoolean);
    }
}

package io.sluice.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.chain.ChainRecord;
import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.Field;
import io.sluice.spi.FieldEditor;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;
import io.sluice.spi.ValueCodec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The streaming pass gives what the tree gives: random JSON documents (written every way JSON is written, some with
 * duplicate keys, some broken) run through random chains of the built-in field plugins, once as they run (the
 * value view streams), once with the tree built first (every edit then goes through the tree, as before the view).
 * Same bytes, same headers, same rejections and reasons, same failures and messages, same violations. Encryption
 * is random (nonces): its outputs are compared after decrypting both with the tree.
 */
class StreamingVsTreeProperties {

    private static final RecordContext CONTEXT =
        new RecordContext("payments", "alice", Set.of("analysts"), "orders.eu", 3, 42L, 1_700_000_000_000L);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Path SECRETS = secrets();
    private static final PluginRegistry PLUGINS = PluginRegistry.load();

    @Property(tries = 1500)
    void aChainOfFieldPluginsGivesTheSameResultStreamingAsOnTheTree(@ForAll final long seed) {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            // given
            final Random random = new Random(seed);
            final RandomJson json = new RandomJson(random, random.nextInt(5) == 0);
            final byte[] value = json.document(random.nextInt(6) == 0).getBytes(StandardCharsets.UTF_8);
            LAST_ENCRYPTION.remove();
            final List<String> configs = chain(random, json);
            final List<Interceptor> chain = configs.stream().map(StreamingVsTreeProperties::create).toList();
            final String given = "document " + new String(value, StandardCharsets.UTF_8) + "\nchain " + configs;

            // when
            final Result streaming = run(chain, value, false);
            final Result tree = run(chain, value, true);

            // then
            assertEquals(tree.outcome, streaming.outcome, given);
            assertEquals(tree.violations, streaming.violations, given);
            assertEquals(tree.headers, streaming.headers, given);
            assertEquals(text(tree.value), text(streaming.value), given);
            chain.forEach(Interceptor::close);
        });
    }

    @Property(tries = 1500)
    void theCodecStreamsEveryWellFormedDocumentWithoutDuplicateKeysAndWritesWhatTheTreeWrites(@ForAll final long seed) {
        assertTimeoutPreemptively(TIMEOUT, () -> {
            // given
            final Random random = new Random(seed);
            final RandomJson json = new RandomJson(random, false);
            final byte[] value = json.document(false).getBytes(StandardCharsets.UTF_8);
            final FieldEdits.Builder builder = FieldEdits.builder();
            final List<String> paths = new ArrayList<>();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                final String path = json.path();
                paths.add(path);
                final FieldEditor upper = field -> {
                    if (field.type() == io.sluice.spi.FieldType.STRING) {
                        field.setString(field.text().toUpperCase(java.util.Locale.ROOT) + "!");
                    } else {
                        field.setEncoded(("[" + new String(field.encoded(), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
                    }
                };
                switch (random.nextInt(3)) {
                    case 0 -> builder.replace(FieldPath.parse(path), upper);
                    case 1 -> builder.replaceLeaves(FieldPath.parse(path), upper);
                    default -> builder.read(FieldPath.parse(path), field -> field.type());
                }
            }
            final FieldEdits edits = builder.build();
            // the value checked first (as produce-policy does before masking: the edit then uses the check's tape),
            // maybe with another value checked in between (whose tape replaces it), or not checked at all
            final int before = random.nextInt(3);
            final String given = "document " + new String(value, StandardCharsets.UTF_8) + "\npaths " + paths
                + "\nchecks before " + before;

            // when
            if (before > 0) {
                JsonCodec.INSTANCE.check(value);
            }
            if (before == 2) {
                JsonCodec.INSTANCE.check(json.document(false).getBytes(StandardCharsets.UTF_8));
            }
            final ValueCodec.Streamed streamed = JsonCodec.INSTANCE.stream(value, edits);
            final JsonTree tree = JsonCodec.INSTANCE.decode(value);
            final int selected = tree.apply(edits);

            // then
            assertNotNull(streamed, given);
            assertEquals(selected, streamed.selected(), given);
            assertEquals(text(selected > 0 ? tree.encode() : value), text(streamed.value()), given);
            final JsonNode unedited = Json.MAPPER.readTree(value);
            if (unedited.isContainerNode() && Arrays.equals(value, Json.MAPPER.writeValueAsBytes(unedited))
                && text(value).codePoints().allMatch(Character::isBmpCodePoint)) {
                // a document in the compact form took the way without a parser
                final FieldEdits none = FieldEdits.builder().read(FieldPath.parse("not-a-key"), Field::type).build();
                assertNotNull(JsonScan.splice(value, none, new com.fasterxml.jackson.core.util.ByteArrayBuilder()),
                    given);
            }
        });
    }

    /**
     * One to three field plugins: masking, decryption, produce-policy's JSON check, and last maybe an encryption
     * (then maybe its decryption): nothing but those sees a ciphertext, which differs from run to run.
     */
    private static List<String> chain(final Random random, final RandomJson json) {
        final List<String> configs = new ArrayList<>();
        boolean encrypted = false;
        for (int i = 1 + random.nextInt(3); i > 0 && !encrypted; i--) {
            switch (random.nextInt(4)) {
                case 0 -> configs.add(masking(random, json));
                case 1 -> configs.add("produce-policy {\"valueFormat\": \"json\", \"action\": \""
                    + (random.nextBoolean() ? "INFO" : "BLOCK") + "\"}");
                case 2 -> configs.add("field-decryption " + crypto(random, json, 3));
                default -> {
                    // One path: the check decrypts what the chain encrypted, and nested ciphertexts (a field inside
                    // an encrypted object) would need the paths in reverse. Overlapping paths are the codec
                    // property's, with an editor that is not random.
                    final String crypto = crypto(random, json, 1);
                    configs.add("field-encryption " + crypto);
                    if (random.nextBoolean()) {
                        configs.add("field-decryption " + crypto);
                    }
                    encrypted = true;
                }
            }
        }
        return configs;
    }

    private static String masking(final Random random, final RandomJson json) {
        final List<String> fields = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            final String strategy = List.of("ALL", "FIRST_N", "LAST_N", "HASH").get(random.nextInt(4));
            fields.add("{\"path\": " + quote(json.path()) + ", \"strategy\": \"" + strategy + "\""
                + (strategy.endsWith("_N") ? ", \"n\": " + random.nextInt(6) : "")
                + (!strategy.equals("HASH") && random.nextBoolean() ? ", \"char\": \"é\"" : "") + "}");
        }
        return "field-masking {\"saltFile\": " + quote(SECRETS.resolve("salt").toString()) + ", \"fields\": ["
            + String.join(", ", fields) + "]}";
    }

    private static String crypto(final Random random, final RandomJson json, final int maxFields) {
        final List<String> fields = new ArrayList<>();
        for (int i = 1 + random.nextInt(maxFields); i > 0; i--) {
            fields.add(quote(json.path()));
        }
        return "{\"keyId\": \"k1\", \"keyFile\": " + quote(SECRETS.resolve("key").toString()) + ", \"fields\": ["
            + String.join(", ", fields.stream().distinct().toList()) + "]}";
    }

    /** What a chain did to a record. */
    private record Result(String outcome, List<String> violations, List<String> headers, byte[] value) {
    }

    /** Runs the chain as the chain runner does with onError: reject (what the field plugins default to). */
    private static Result run(final List<Interceptor> chain, final byte[] value, final boolean treeFirst) {
        final ChainRecord record = new ChainRecord(CONTEXT, "k".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders());
        record.interceptorName("under-test");
        if (treeFirst) {
            try {
                record.jsonValue();
            } catch (final RuntimeException notJson) {
                // every plugin meets the same refusal, on the tree
            }
        }
        String outcome = "passed";
        for (int i = 0; i < chain.size(); i++) {
            try {
                chain.get(i).onSend(record);
            } catch (final RuntimeException e) {
                outcome = "interceptor " + i + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                break;
            }
            if (record.isRejected()) {
                outcome = "interceptor " + i + " rejected: " + record.rejectionReason();
                break;
            }
        }
        final List<String> violations = record.violations().stream().map(pair -> pair[1]).toList();
        byte[] out = record.value();
        if (LAST_ENCRYPTION.get() != null) {
            // a rejected record goes out as it came in: its half-encrypted value (random nonces) is not compared
            out = outcome.equals("passed") ? decryptedOnTheTree(record) : null;
        }
        final List<String> headers = Arrays.stream(record.headers().toArray())
            .map(header -> header.key() + "=" + text(header.value())).toList();
        return new Result(outcome, violations, headers, out);
    }

    /** The value after decrypting it, on the tree, with the chain's last encryption config. */
    private static byte[] decryptedOnTheTree(final ChainRecord encrypted) {
        final Interceptor decryptor = LAST_ENCRYPTION.get();
        final ChainRecord record = new ChainRecord(CONTEXT, encrypted.key(), encrypted.value(), new RecordHeaders());
        record.headers().add("sluice-key-id", "k1".getBytes(StandardCharsets.UTF_8));
        try {
            record.jsonValue();
        } catch (final RuntimeException notJson) {
            return encrypted.value();
        }
        decryptor.onSend(record);
        if (record.isRejected()) {
            return ("rejected by the check's decryption: " + record.rejectionReason()).getBytes(StandardCharsets.UTF_8);
        }
        return record.value();
    }

    /** The decryption matching the last encryption created (set by {@link #create}). */
    private static final ThreadLocal<Interceptor> LAST_ENCRYPTION = new ThreadLocal<>();

    private static Interceptor create(final String typeAndConfig) {
        final int space = typeAndConfig.indexOf(' ');
        final String type = typeAndConfig.substring(0, space);
        final String config = typeAndConfig.substring(space + 1);
        if (type.equals("field-encryption")) {
            LAST_ENCRYPTION.set(instance("field-decryption", config));
        }
        return instance(type, config);
    }

    private static Interceptor instance(final String type, final String config) {
        final InterceptorFactory factory = PLUGINS.find(type).orElseThrow();
        final JsonNode node;
        try {
            node = Json.MAPPER.readTree(config);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!factory.validate(node).isEmpty()) {
            throw new IllegalStateException(type + " " + config + ": " + factory.validate(node));
        }
        return factory.create(new InterceptorSetup("under-test", null, null, null, node));
    }

    private static String quote(final String text) {
        try {
            return Json.MAPPER.writeValueAsString(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(final byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static Path secrets() {
        try {
            final Path folder = Files.createTempDirectory("sluice-streaming");
            folder.toFile().deleteOnExit();
            final Path key = folder.resolve("key");
            Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
            key.toFile().deleteOnExit();
            final Path salt = folder.resolve("salt");
            Files.writeString(salt, "property-salt-0123456789");
            salt.toFile().deleteOnExit();
            return folder;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

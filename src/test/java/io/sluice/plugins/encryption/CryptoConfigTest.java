package io.sluice.plugins.encryption;

import static io.sluice.plugins.support.TestRecords.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.spi.ConfigProblem;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;

/** Config problems of field-encryption and field-decryption (they share the config). */
class CryptoConfigTest {

    private static final String SHORT_KEY = Base64.getEncoder().encodeToString(new byte[16]);
    private static final String GOOD_KEY = FieldEncryptionTest.KEY_BASE64;

    @TempDir
    Path folder;

    private final Map<String, String> environment = Map.of("SHORT", SHORT_KEY, "GOOD", GOOD_KEY, "BLANK", " ");

    private List<ConfigProblem> problems(final JsonNode config) {
        final List<ConfigProblem> encryption = new FieldEncryptionFactory(environment::get).validate(config);
        assertEquals(encryption, new FieldDecryptionFactory(environment::get).validate(config));
        for (final ConfigProblem problem : encryption) {
            assertFalse(problem.message().contains(GOOD_KEY), problem::toString);
            assertFalse(problem.message().contains(SHORT_KEY), problem::toString);
        }
        return encryption;
    }

    /**
     * The message of the creation failure of a config that validates: the key is read by the instance that creates
     * the interceptor, not by validation (which cannot see the instances' files).
     */
    private String creationFailure(final JsonNode config) {
        assertEquals(List.of(), problems(config), "validation reads no file or variable");
        final String encryption = assertThrows(IllegalArgumentException.class,
            () -> new FieldEncryptionFactory(environment::get).create(new InterceptorSetup("e", null, null, null, config)))
            .getMessage();
        assertEquals(encryption, assertThrows(IllegalArgumentException.class,
            () -> new FieldDecryptionFactory(environment::get).create(new InterceptorSetup("d", null, null, null, config)))
            .getMessage());
        assertFalse(encryption.contains(GOOD_KEY), encryption);
        assertFalse(encryption.contains(SHORT_KEY), encryption);
        return encryption;
    }

    private JsonNode withKeyFile(final String content) throws Exception {
        final Path file = folder.resolve("k.key");
        Files.writeString(file, content);
        final ObjectNode config = (ObjectNode) json("{'keyId': 'k1'}");
        config.put("keyFile", file.toString());
        return config;
    }

    private static List<String> fields(final List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::field).toList();
    }

    @Test
    void acceptsAGoodKeyFromAFileOrTheEnvironment() throws Exception {
        // then
        assertEquals(List.of(), problems(withKeyFile(GOOD_KEY + "\n")));
        assertEquals(List.of(), problems(json("{'keyId': 'k1', 'keyEnv': 'GOOD', 'fields': ['a.b', 'c[*].d']}")));
    }

    @Test
    void refusesAnInlineKey() {
        // when
        final List<ConfigProblem> problems = problems(json("{'keyId': 'k1', 'key': '" + GOOD_KEY + "'}"));

        // then
        assertEquals(List.of("key", "keyFile"), fields(problems));
        assertTrue(problems.get(0).message().startsWith("must not be set"), problems.get(0).message());
    }

    @Test
    void aMissingKeyFileFailsTheCreationNotTheValidation() {
        // then
        assertEquals("keyFile: cannot read '/no/such/dir/k.key': no such file",
            creationFailure(json("{'keyId': 'k1', 'keyFile': '/no/such/dir/k.key'}")));
    }

    @Test
    void reportsAKeyThatIsNotBase64() throws Exception {
        // when
        final String failure = creationFailure(withKeyFile("not base64 at all!"));

        // then
        assertTrue(failure.startsWith("keyFile: the key is not base64"), failure);
        assertFalse(failure.contains("not base64 at all"));
    }

    @Test
    void reportsAKeyOfTheWrongLength() throws Exception {
        // then
        assertEquals("keyFile: the key is 16 bytes long; AES-256 needs 32", creationFailure(withKeyFile(SHORT_KEY)));
        assertEquals("keyEnv: the key is 16 bytes long; AES-256 needs 32",
            creationFailure(json("{'keyId': 'k1', 'keyEnv': 'SHORT'}")));
    }

    @Test
    void reportsAnEmptyFileAndAnUnsetOrBlankVariable() throws Exception {
        // then
        assertTrue(creationFailure(withKeyFile("\n")).startsWith("keyFile: file '"));
        assertEquals("keyEnv: the environment variable 'NOPE' is not set",
            creationFailure(json("{'keyId': 'k1', 'keyEnv': 'NOPE'}")));
        assertEquals("keyEnv: the environment variable 'BLANK' is empty",
            creationFailure(json("{'keyId': 'k1', 'keyEnv': 'BLANK'}")));
    }

    @Test
    void requiresOneKeySourceAndAKeyId() {
        // then
        assertEquals(List.of("keyId", "keyFile"), fields(problems(json("{}"))));
        assertEquals(List.of("keyFile"), fields(problems(json("{'keyId': 'k1', 'keyFile': 'a', 'keyEnv': 'GOOD'}"))));
        assertEquals(List.of("keyId"), fields(problems(json("{'keyId': 'k 1|x', 'keyEnv': 'GOOD'}"))));
    }

    @Test
    void reportsBadFieldPathsByTheirIndex() {
        // when
        final List<ConfigProblem> problems = problems(json(
            "{'keyId': 'k1', 'keyEnv': 'GOOD', 'fields': ['ok', 'a..b', 3, 'items[x]', 'ok', 'extra'], 'feilds': []}"));

        // then
        assertEquals(List.of("fields[1]", "fields[2]", "fields[3]", "fields[4]", "feilds"), fields(problems));
    }

    @Test
    void refusesAnEmptyFieldList() {
        // then
        assertEquals(List.of("fields"), fields(problems(json("{'keyId': 'k1', 'keyEnv': 'GOOD', 'fields': []}"))));
    }

    @Test
    void documentsTheSameFieldsForBothDirections() {
        // given
        final InterceptorFactory encryption = new FieldEncryptionFactory();
        final InterceptorFactory decryption = new FieldDecryptionFactory();

        // then
        assertEquals(List.of("fields", "keyId", "keyFile", "keyEnv", "keyring", "onMissingKey", "valueFormat"),
            encryption.configFields().stream().map(f -> f.name()).toList());
        assertEquals(encryption.configFields().stream().map(f -> f.name()).toList(),
            decryption.configFields().stream().map(f -> f.name()).toList());
    }
}

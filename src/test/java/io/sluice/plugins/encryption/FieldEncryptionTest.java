package io.sluice.plugins.encryption;

import static io.sluice.plugins.support.TestRecords.header;
import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static io.sluice.plugins.support.TestRecords.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.chain.ChainRecord;
import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.ValueFormatException;

class FieldEncryptionTest {

    static final byte[] KEY = new byte[32];
    static final byte[] OTHER_KEY = new byte[32];
    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) (i * 7 + 1);
            OTHER_KEY[i] = (byte) (255 - i);
        }
    }
    static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);

    static final String ORDER = """
        {"id": 7, "card": {"number": "4111111111111111", "cvv": 123, "holder": {"name": "Ann"}},
         "items": [{"sku": "A-1"}, {"sku": "B-2"}, {"qty": 1}], "note": null}""";

    @TempDir
    Path folder;
    Path keyFile;
    Path otherKeyFile;

    private final Map<String, String> environment = Map.of("ORDERS_KEY", KEY_BASE64);
    private final FieldEncryptionFactory encryption = new FieldEncryptionFactory(environment::get);
    private final FieldDecryptionFactory decryption = new FieldDecryptionFactory(environment::get);

    @BeforeEach
    void writeKeys() throws Exception {
        keyFile = folder.resolve("orders.key");
        Files.writeString(keyFile, KEY_BASE64 + "\n");
        otherKeyFile = folder.resolve("other.key");
        Files.writeString(otherKeyFile, Base64.getEncoder().encodeToString(OTHER_KEY));
    }

    static Interceptor create(final InterceptorFactory factory, final JsonNode config) {
        assertEquals(List.of(), factory.validate(config));
        return factory.create(new InterceptorSetup("crypto", null, null, null, config));
    }

    private JsonNode config(final String keyId, final Path key, final String fields) {
        final ObjectNode config = (ObjectNode) json("{'keyId': '" + keyId + "'}");
        config.put("keyFile", key.toString());
        if (fields != null) {
            config.set("fields", json(fields));
        }
        return config;
    }

    private JsonNode fieldsConfig() {
        return config("orders-1", keyFile, "['card.number', 'card.cvv', 'card.holder', 'items[*].sku', 'note', 'absent.field']");
    }

    @Test
    void encryptsEachConfiguredFieldIntoAStringAndNamesTheKey() {
        // given
        final Interceptor interceptor = create(encryption, fieldsConfig());
        final ChainRecord record = record(ORDER);

        // when
        interceptor.onSend(record);

        // then
        final JsonNode out = json(value(record));
        assertEquals(7, out.get("id").intValue());
        for (final JsonNode encrypted : List.of(out.at("/card/number"), out.at("/card/cvv"), out.at("/card/holder"),
                out.at("/items/0/sku"), out.at("/items/1/sku"), out.get("note"))) {
            assertTrue(encrypted.isTextual(), encrypted::toString);
            assertEquals(1, Base64.getDecoder().decode(encrypted.textValue())[0]);
        }
        assertEquals(1, out.at("/items/2/qty").intValue());
        assertFalse(value(record).contains("4111"));
        assertEquals("orders-1", header(record, "sluice-key-id"));
        assertFalse(record.isRejected());
    }

    @Test
    void decryptsFieldsBackToTheirJsonTypesAndDropsTheKeyHeader() {
        // given
        final ChainRecord record = record(ORDER);
        create(encryption, fieldsConfig()).onSend(record);

        // when
        create(decryption, fieldsConfig()).onSend(record);

        // then
        assertEquals(json(ORDER), json(value(record)));
        assertNull(header(record, "sluice-key-id"));
        assertFalse(record.isRejected());
    }

    @Test
    void roundTripsTheWholeValueWhenNoFieldsAreGiven() {
        // given
        final byte[] binary = {0, 1, 2, (byte) 0xff, 'x'};
        final ChainRecord record = TestRecords.record(TestRecords.CONTEXT, binary.clone());
        final JsonNode config = config("orders-1", keyFile, null);

        // when
        create(encryption, config).onSend(record);
        final String encrypted = value(record);
        create(decryption, config).onSend(record);

        // then
        assertEquals(1, Base64.getDecoder().decode(encrypted)[0]);
        assertArrayEquals(binary, record.value());
        assertNull(header(record, "sluice-key-id"));
    }

    @Test
    void usesAFreshNonceForEveryValue() {
        // given
        final Interceptor interceptor = create(encryption, config("orders-1", keyFile, "['a', 'b']"));
        final ChainRecord first = record("{\"a\": \"same\", \"b\": \"same\"}");
        final ChainRecord second = record("{\"a\": \"same\", \"b\": \"same\"}");

        // when
        interceptor.onSend(first);
        interceptor.onSend(second);

        // then
        final JsonNode one = json(value(first));
        final JsonNode two = json(value(second));
        assertNotEquals(one.get("a"), one.get("b"));
        assertNotEquals(one.get("a"), two.get("a"));
    }

    @Test
    void decryptsWithNothingButTheJdkFollowingFormatMd() throws Exception {
        // given
        final ChainRecord record = record("{\"card\": {\"number\": \"4111111111111111\"}, \"n\": 42}");
        create(encryption, config("orders-1", keyFile, "['card.number', 'n']")).onSend(record);
        final JsonNode out = json(value(record));

        // when: the documented format, by hand
        final String number = new String(jdkDecrypt(out.at("/card/number").textValue(), "orders-1", "card.number"), StandardCharsets.UTF_8);
        final String n = new String(jdkDecrypt(out.get("n").textValue(), "orders-1", "n"), StandardCharsets.UTF_8);

        // then: the plaintext is the field's JSON text
        assertEquals("\"4111111111111111\"", number);
        assertEquals("42", n);
    }

    @Test
    void decryptsAWholeValueWithNothingButTheJdk() throws Exception {
        // given
        final ChainRecord record = record("plain text, not JSON");
        create(encryption, config("orders-1", keyFile, null)).onSend(record);

        // when
        final byte[] plaintext = jdkDecrypt(value(record), "orders-1", "");

        // then
        assertEquals("plain text, not JSON", new String(plaintext, StandardCharsets.UTF_8));
    }

    /** FORMAT.md's recipe: base64 of 0x01 || nonce(12) || ciphertext || tag(16); AAD "sluice/v1|keyId|path". */
    private static byte[] jdkDecrypt(final String base64, final String keyId, final String path) throws Exception {
        final byte[] sealed = Base64.getDecoder().decode(base64);
        assertEquals(1, sealed[0]);
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, sealed, 1, 12));
        cipher.updateAAD(("sluice/v1|" + keyId + "|" + path).getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(sealed, 13, sealed.length - 13);
    }

    @Test
    void rejectsARecordEncryptedUnderAnotherKeyId() {
        // given
        final ChainRecord record = record(ORDER);
        create(encryption, config("orders-1", keyFile, "['card.number']")).onSend(record);
        final String encrypted = value(record);

        // when
        create(decryption, config("orders-2", otherKeyFile, "['card.number']")).onSend(record);

        // then
        assertTrue(record.isRejected());
        assertEquals("the record is encrypted under key id 'orders-1', but this interceptor holds key id 'orders-2'",
            record.rejectionReason());
        assertEquals(encrypted, value(record));
    }

    @Test
    void rejectsACiphertextThatDoesNotAuthenticate() {
        // given: the right key id in the header, but another key behind it
        final ChainRecord record = record(ORDER);
        create(encryption, config("orders-1", keyFile, "['card.number']")).onSend(record);

        // when
        create(decryption, config("orders-1", otherKeyFile, "['card.number']")).onSend(record);

        // then
        assertTrue(record.isRejected());
        assertTrue(record.rejectionReason().startsWith("field 'card.number' does not authenticate under key id 'orders-1'"),
            record.rejectionReason());
    }

    @Test
    void rejectsACiphertextMovedToAnotherField() {
        // given
        final ChainRecord record = record("{\"secret\": \"s3cr3t\", \"nickname\": \"bob\"}");
        create(encryption, config("k", keyFile, "['secret']")).onSend(record);
        final ObjectNode moved = (ObjectNode) json(value(record));
        moved.set("nickname", moved.get("secret"));
        record.jsonValue(moved);

        // when
        create(decryption, config("k", keyFile, "['nickname']")).onSend(record);

        // then
        assertTrue(record.isRejected());
        assertTrue(record.rejectionReason().startsWith("field 'nickname' does not authenticate"), record.rejectionReason());
    }

    @Test
    void rejectsAFieldThatIsNotACiphertext() {
        // given
        final ChainRecord record = record("{\"card\": {\"number\": 4111}}");
        record.headers().add("sluice-key-id", "k".getBytes(StandardCharsets.UTF_8));

        // when
        create(decryption, config("k", keyFile, "['card.number']")).onSend(record);

        // then
        assertEquals("field 'card.number' is not a Sluice ciphertext (a number, not a string)", record.rejectionReason());
    }

    @Test
    void passesARecordThatWasNotEncrypted() {
        // given
        final ChainRecord record = record(ORDER);

        // when
        create(decryption, fieldsConfig()).onSend(record);

        // then
        assertFalse(record.isRejected());
        assertEquals(ORDER, value(record));
    }

    @Test
    void refusesToEncryptARecordAlreadyEncryptedUnderAnotherKeyId() {
        // given
        final ChainRecord record = record(ORDER);
        create(encryption, config("orders-1", keyFile, "['card.number']")).onSend(record);

        // when
        create(encryption, config("orders-2", otherKeyFile, "['card.cvv']")).onSend(record);

        // then
        assertTrue(record.isRejected());
        assertTrue(record.rejectionReason().contains("already encrypted under key id 'orders-1'"), record.rejectionReason());
    }

    @Test
    void throwsOnANonJsonValueSoThatRejectFailsClosed() {
        // given
        final Interceptor interceptor = create(encryption, fieldsConfig());
        final ChainRecord record = record("card=4111111111111111");

        // when
        final ValueFormatException thrown = assertThrows(ValueFormatException.class, () -> interceptor.onSend(record));

        // then: nothing was changed or marked as encrypted; the chain rejects the record
        assertEquals(OnError.REJECT, encryption.defaultOnError());
        assertEquals(OnError.REJECT, decryption.defaultOnError());
        assertNull(header(record, "sluice-key-id"));
        assertEquals("card=4111111111111111", value(record));
        assertFalse(thrown.getMessage().contains("4111"), thrown.getMessage());
    }

    @Test
    void leavesTombstonesAndRecordsWithoutTheFieldsAlone() {
        // given
        final Interceptor interceptor = create(encryption, fieldsConfig());
        final ChainRecord tombstone = record(null);
        final ChainRecord other = record("{\"unrelated\": true}");

        // when
        interceptor.onSend(tombstone);
        interceptor.onSend(other);

        // then
        assertNull(tombstone.value());
        assertNull(header(tombstone, "sluice-key-id"));
        assertEquals("{\"unrelated\": true}", value(other));
        assertNull(header(other, "sluice-key-id"));
    }

    @Test
    void readsTheKeyFromAnEnvironmentVariable() {
        // given
        final JsonNode config = json("{'keyId': 'orders-1', 'keyEnv': 'ORDERS_KEY', 'fields': ['card.number']}");
        final ChainRecord record = record(ORDER);

        // when
        create(encryption, config).onSend(record);
        create(decryption, config("orders-1", keyFile, "['card.number']")).onSend(record);

        // then
        assertEquals(json(ORDER), json(value(record)));
    }

    @Test
    void neverShowsKeyMaterial() {
        // given
        final CryptoConfig config = CryptoConfig.read(ConfigReader.of(fieldsConfig()), false).withKey(name -> null);

        // then
        assertFalse(config.toString().contains(KEY_BASE64), config::toString);
        assertEquals("AesKey[id=orders-1, material hidden]", config.key().toString());
    }
}

package io.sluice.plugins.encryption;

import static io.sluice.plugins.support.TestRecords.header;
import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static io.sluice.plugins.support.TestRecords.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.chain.ChainRecord;
import io.sluice.spi.DataKeys;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

/** field-encryption / field-decryption with a keyring; the keyring itself is tested on a real broker (KeyringsIT). */
class KeyringEncryptionTest {

    static final String ORDER = "{\"id\": 7, \"card\": {\"number\": \"4111111111111111\"}}";
    static final RecordContext ALICE = new RecordContext("payments", "alice", Set.of(), "orders.in", 0, 1L, 0L);
    static final RecordContext BOB = new RecordContext("payments", "bob", Set.of(), "orders.in", 0, 2L, 0L);

    /** Data keys per user, in memory: rotation and shredding as the key topic does them. */
    static final class UserKeys implements DataKeys {
        final Map<String, DataKey> current = new HashMap<>();
        final Map<String, DataKey> byId = new HashMap<>();
        final Map<String, String> owners = new HashMap<>();

        @Override
        public boolean has(final String keyring) {
            return keyring.equals("pii");
        }

        @Override
        public DataKey forEncryption(final String keyring, final RecordContext context) {
            final DataKey key = current.get(context.username());
            return key != null ? key : rotate(context.username());
        }

        DataKey rotate(final String user) {
            final byte[] material = new byte[32];
            new SecureRandom().nextBytes(material);
            final DataKey key = new DataKey("pii:" + String.format("%016x", new SecureRandom().nextLong()),
                new SecretKeySpec(material, "AES"));
            byId.put(key.id(), key);
            owners.put(key.id(), user);
            current.put(user, key);
            return key;
        }

        void shred(final String user) {
            owners.forEach((id, owner) -> {
                if (owner.equals(user)) {
                    byId.remove(id);
                }
            });
            current.remove(user);
        }

        @Override
        public Optional<DataKey> forDecryption(final String id) {
            return Optional.ofNullable(byId.get(id));
        }
    }

    final UserKeys keys = new UserKeys();

    Interceptor create(final InterceptorFactory factory, final String config) {
        final JsonNode node = json(config);
        assertEquals(List.of(), factory.validate(node));
        return factory.create(new InterceptorSetup("crypto", null, null, null, node, keys));
    }

    final Interceptor encrypt = create(new FieldEncryptionFactory(), "{'keyring': 'pii', 'fields': ['card.number']}");
    final Interceptor decrypt = create(new FieldDecryptionFactory(), "{'keyring': 'pii', 'fields': ['card.number']}");

    ChainRecord encrypted(final RecordContext context) {
        final ChainRecord record = record(context, ORDER.getBytes(StandardCharsets.UTF_8));
        encrypt.onSend(record);
        assertFalse(value(record).contains("4111"), value(record));
        return record;
    }

    ChainRecord decrypting(final ChainRecord encrypted, final Interceptor decryption) {
        final ChainRecord record = record(encrypted.context(), encrypted.value());
        encrypted.headers().forEach(header -> record.headers().add(header));
        decryption.onSend(record);
        return record;
    }

    @Test
    void eachUserGetsADataKeyTheCiphertextAndHeaderName() {
        // when
        final ChainRecord alice = encrypted(ALICE);
        final ChainRecord bob = encrypted(BOB);

        // then
        assertEquals(keys.current.get("alice").id(), header(alice, "sluice-key-id"));
        assertEquals(keys.current.get("bob").id(), header(bob, "sluice-key-id"));
        final String ciphertext = json(value(alice)).path("card").path("number").asText();
        assertEquals(keys.current.get("alice").id(), CiphertextFormat.openKeyring(ciphertext.getBytes(
            StandardCharsets.ISO_8859_1)).dekId(), "the ciphertext names its data key");

        // and: decryption gives the plaintext back and removes the header
        final ChainRecord clear = decrypting(alice, decrypt);
        assertFalse(clear.isRejected(), clear.rejectionReason());
        assertEquals(json(ORDER), json(value(clear)));
        assertNull(header(clear, "sluice-key-id"));
    }

    @Test
    void recordsOfEveryVersionDecryptAfterARotation() {
        // given
        final ChainRecord before = encrypted(ALICE);

        // when
        keys.rotate("alice");
        final ChainRecord after = encrypted(ALICE);

        // then
        assertNotEquals(header(before, "sluice-key-id"), header(after, "sluice-key-id"));
        assertEquals(json(ORDER), json(value(decrypting(before, decrypt))));
        assertEquals(json(ORDER), json(value(decrypting(after, decrypt))));
    }

    @Test
    void aShreddedUsersRecordsFailClosedUnlessTheBindingPassesThemEncrypted() {
        // given
        final ChainRecord alice = encrypted(ALICE);
        final ChainRecord bob = encrypted(BOB);
        final String aliceKey = header(alice, "sluice-key-id");

        // when
        keys.shred("alice");

        // then: alice's record is rejected naming the key; bob's still decrypts
        final ChainRecord rejected = decrypting(alice, decrypt);
        assertTrue(rejected.isRejected());
        assertEquals("data key '" + aliceKey + "' of keyring 'pii' is not in the key topic (shredded, or never "
            + "published): the record cannot be decrypted", rejected.rejectionReason());
        assertEquals(json(ORDER), json(value(decrypting(bob, decrypt))));

        // and: with onMissingKey passEncrypted it passes as it came, still encrypted
        final Interceptor passing = create(new FieldDecryptionFactory(),
            "{'keyring': 'pii', 'fields': ['card.number'], 'onMissingKey': 'passEncrypted'}");
        final ChainRecord passed = decrypting(alice, passing);
        assertFalse(passed.isRejected());
        assertEquals(value(alice), value(passed));
        assertEquals(aliceKey, header(passed, "sluice-key-id"));
    }

    @Test
    void aWholeValueIsSealedAndRestoredByteForByte() {
        // given
        final Interceptor wholeEncrypt = create(new FieldEncryptionFactory(), "{'keyring': 'pii'}");
        final Interceptor wholeDecrypt = create(new FieldDecryptionFactory(), "{'keyring': 'pii'}");
        final byte[] original = {0, 0, 0, 0, 5, 1, 2, 3};
        final ChainRecord record = record(ALICE, original);

        // when
        wholeEncrypt.onSend(record);
        final ChainRecord clear = decrypting(record, wholeDecrypt);

        // then
        assertEquals(List.of((byte) 2), List.of(java.util.Base64.getDecoder().decode(record.value())[0]));
        assertEquals(java.util.Arrays.toString(original), java.util.Arrays.toString(clear.value()));
    }

    @Test
    void aKeyringTheInstanceDoesNotHaveFailsTheInstanceAndConfigsSayWhatIsWrong() {
        // given
        final JsonNode unknown = json("{'keyring': 'hr', 'fields': ['salary']}");

        // then: valid at apply (the CLI cannot see the instances' topology), refused where it is created
        assertEquals(List.of(), new FieldEncryptionFactory().validate(unknown));
        assertEquals("keyring 'hr' is not in this instance's topology", assertThrows(IllegalStateException.class,
            () -> new FieldEncryptionFactory().create(new InterceptorSetup("crypto", null, null, null, unknown, keys)))
            .getMessage());
        assertEquals("[ConfigProblem[field=keyId, message=a keyring's data keys are Sluice's; leave out keyId with "
                + "keyring], ConfigProblem[field=onMissingKey, message=is for field-decryption with a keyring]]",
            new FieldEncryptionFactory().validate(json("{'keyring': 'pii', 'keyId': 'x', 'onMissingKey': 'reject'}"))
                .toString());
        assertEquals("[ConfigProblem[field=onMissingKey, message=must be reject or passEncrypted, not 'skip']]",
            new FieldDecryptionFactory().validate(json("{'keyring': 'pii', 'onMissingKey': 'skip'}")).toString());
    }

    @Test
    void aRecordEncryptedWithAnotherKeyringIsNotOpened() {
        // given: a record whose header names another keyring's key
        final ChainRecord record = record(ALICE, ORDER.getBytes(StandardCharsets.UTF_8));
        record.headers().add("sluice-key-id", "hr:0123456789abcdef".getBytes(StandardCharsets.UTF_8));

        // when
        decrypt.onSend(record);

        // then
        assertEquals("the record is encrypted under key id 'hr:0123456789abcdef', which is not a data key of "
            + "keyring 'pii'", record.rejectionReason());
    }
}

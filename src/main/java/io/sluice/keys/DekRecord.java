package io.sluice.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;

/**
 * One data key (DEK) as the key topic holds it: wrapped with a KEK of its keyring, never in the clear. The record's
 * key is the DEK id; its value is the JSON of {@link #toJson()} (format 1, see {@code FORMAT.md} of the encryption
 * plugins); a tombstone shreds the key.
 *
 * @param dekId      the id ciphertexts name: {@code <keyring>:<16 hex digits>}
 * @param keyring    the keyring
 * @param scope      what the key covers
 * @param scopeValue the vcluster or user it covers ({@code ""} for scope none, and for the anonymous user)
 * @param version    1 for the first key of (keyring, scope value), one more for each rotation
 * @param created    when it was made (epoch ms)
 * @param kekId      the KEK that wrapped it
 * @param wrapped    {@code nonce(12) || AES-256-GCM(DEK) || tag(16)}, with {@link #associatedData()}
 */
public record DekRecord(String dekId, String keyring, DekScope scope, String scopeValue, int version, long created,
                        String kekId, byte[] wrapped) {

    public static final int FORMAT = 1;
    private static final Pattern DEK_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}:[0-9a-f]{16}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Makes a new DEK, wrapped with the keyring's newest KEK. The returned key is the caller's to use. */
    static Created create(final String keyring, final DekScope scope, final String scopeValue, final int version,
                          final Kek kek, final long now) {
        final byte[] id = new byte[8];
        final byte[] material = new byte[Kek.KEY_BYTES];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(material);
        try {
            final String dekId = keyring + ":" + HexFormat.of().formatHex(id);
            final DekRecord unwrapped = new DekRecord(dekId, keyring, scope, scopeValue, version, now, null, null);
            final Kek.Key newest = kek.newest();
            final DekRecord record = new DekRecord(dekId, keyring, scope, scopeValue, version, now, newest.id(),
                unwrapped.wrap(newest, material));
            return new Created(record, new SecretKeySpec(material, "AES"));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** A new DEK's record (to publish) and the key itself. */
    record Created(DekRecord record, SecretKeySpec key) {
    }

    /**
     * The DEK in the clear, unwrapped with the KEK that wrapped it.
     *
     * @throws KeyringException when the keyring no longer holds that KEK or the record does not authenticate
     */
    SecretKeySpec unwrap(final Kek kek) {
        final Kek.Key key = kek.byId(kekId).orElseThrow(() -> new KeyringException("data key '" + dekId
            + "' is wrapped with KEK " + kekId + ", which keyring '" + keyring + "' does not hold (its KEKs: "
            + kek.ids() + ")"));
        try {
            final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData());
            final byte[] material = cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
            try {
                return new SecretKeySpec(material, "AES");
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        } catch (final AEADBadTagException e) {
            throw new KeyringException("data key '" + dekId + "' does not unwrap under KEK " + kekId
                + " (the key record was altered)");
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyringException("data key '" + dekId + "' cannot be unwrapped: " + e.getClass().getSimpleName());
        }
    }

    /** The same DEK wrapped with the keyring's newest KEK ({@code sluice keys rewrap}). */
    DekRecord rewrapped(final Kek kek) {
        final SecretKeySpec key = unwrap(kek);
        final byte[] material = key.getEncoded();
        try {
            final Kek.Key newest = kek.newest();
            return new DekRecord(dekId, keyring, scope, scopeValue, version, created, newest.id(), wrap(newest, material));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private byte[] wrap(final Kek.Key kek, final byte[] material) {
        final byte[] sealed = new byte[NONCE_BYTES + material.length + TAG_BITS / 8];
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
        try {
            final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData());
            cipher.doFinal(material, 0, material.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM wrapping failed: " + e.getClass().getSimpleName());
        }
    }

    /** Binds the wrapped key to its metadata: a record whose id, keyring, scope or version was changed does not unwrap. */
    byte[] associatedData() {
        return ("sluice-dek/v1|" + dekId + "|" + keyring + "|" + scope.label() + "|" + scopeValue + "|" + version)
            .getBytes(StandardCharsets.UTF_8);
    }

    /** The key topic's record value. */
    public byte[] toJson() {
        final ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("format", FORMAT);
        node.put("dekId", dekId);
        node.put("keyring", keyring);
        node.put("scope", scope.label());
        node.put("scopeValue", scopeValue);
        node.put("version", version);
        node.put("created", created);
        node.put("kek", kekId);
        node.put("wrapped", Base64.getEncoder().encodeToString(wrapped));
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (final IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /**
     * Reads a key topic record.
     *
     * @throws KeyringException saying what is wrong with it
     */
    public static DekRecord fromJson(final byte[] key, final byte[] value) {
        final String recordKey = key == null ? null : new String(key, StandardCharsets.UTF_8);
        final JsonNode node;
        try {
            node = Json.MAPPER.readTree(value);
        } catch (final IOException e) {
            throw new KeyringException("key record '" + recordKey + "' is not JSON");
        }
        if (node == null || !node.isObject() || node.path("format").asInt() != FORMAT) {
            throw new KeyringException("key record '" + recordKey + "' is not a format-" + FORMAT + " data key");
        }
        final String dekId = node.path("dekId").asText("");
        if (!DEK_ID.matcher(dekId).matches() || !dekId.equals(recordKey)) {
            throw new KeyringException("key record '" + recordKey + "' has the DEK id '" + dekId
                + "'; the record key must be the DEK id, <keyring>:<16 hex digits>");
        }
        final DekScope scope = DekScope.fromLabel(node.path("scope").asText(""))
            .orElseThrow(() -> new KeyringException("key record '" + recordKey + "' has an unknown scope"));
        final byte[] wrapped;
        try {
            wrapped = Base64.getDecoder().decode(node.path("wrapped").asText(""));
        } catch (final IllegalArgumentException e) {
            throw new KeyringException("key record '" + recordKey + "' has a wrapped key that is not base64");
        }
        return new DekRecord(dekId, node.path("keyring").asText(""), scope, node.path("scopeValue").asText(""),
            node.path("version").asInt(), node.path("created").asLong(), node.path("kek").asText(""), wrapped);
    }

    /** The key topic's record key. */
    public byte[] recordKey() {
        return dekId.getBytes(StandardCharsets.UTF_8);
    }

    /** The DEK id's text of a record key (a tombstone's). */
    static String dekIdOf(final byte[] recordKey) {
        return new String(recordKey, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof DekRecord that && dekId.equals(that.dekId) && keyring.equals(that.keyring)
            && scope == that.scope && scopeValue.equals(that.scopeValue) && version == that.version
            && created == that.created && java.util.Objects.equals(kekId, that.kekId)
            && Arrays.equals(wrapped, that.wrapped);
    }

    @Override
    public int hashCode() {
        return dekId.hashCode();
    }

    @Override
    public String toString() {
        return "DekRecord[" + dekId + ", " + keyring + ", " + scope.label() + "=" + scopeValue + ", v" + version
            + ", kek " + kekId + "]";
    }
}

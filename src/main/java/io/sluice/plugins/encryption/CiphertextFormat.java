package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.sluice.spi.DataKeys;

/**
 * The ciphertext formats (see {@code FORMAT.md} beside this class). Version 1, under a binding's own key: base64 of
 * {@code 0x01 || nonce(12) || AES-256-GCM ciphertext || tag(16)}, with associated data
 * {@code "sluice/v1|" + keyId + "|" + path}. Version 2, under a keyring's data key, names that key in itself:
 * base64 of {@code 0x02 || n(1) || DEK id (n ASCII bytes) || nonce(12) || ciphertext || tag(16)}, with associated
 * data {@code "sluice/v2|" + dekId + "|" + path}.
 */
final class CiphertextFormat {

    static final byte VERSION = 1;
    static final byte KEYRING_VERSION = 2;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int HEADER_BYTES = 1 + NONCE_BYTES;
    /** The header that carries the key id of an encrypted record. */
    static final String KEY_ID_HEADER = DataKeys.KEY_ID_HEADER;

    // Ciphers are not thread-safe and costly to look up: one per stream thread.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(CiphertextFormat::newCipher);
    // One DRBG per thread: a shared SecureRandom (and NativePRNG even per thread) serializes on a lock.
    private static final ThreadLocal<SecureRandom> RANDOMS = ThreadLocal.withInitial(CiphertextFormat::newRandom);

    private CiphertextFormat() {
    }

    /** The associated data for a field path as configured ({@code ""} for the whole value). */
    static byte[] associatedData(final String keyId, final String path) {
        return ("sluice/v1|" + keyId + "|" + path).getBytes(StandardCharsets.UTF_8);
    }

    /** The associated data of a version-2 ciphertext: a keyring's data key and the field path. */
    static byte[] keyringAssociatedData(final String dekId, final String path) {
        return ("sluice/v2|" + dekId + "|" + path).getBytes(StandardCharsets.UTF_8);
    }

    /** Encrypts under a fresh random nonce; returns the base64 text as ASCII bytes. */
    static byte[] encrypt(final AesKey key, final byte[] associatedData, final byte[] plaintext) {
        return seal(new byte[] {VERSION}, key.key(), associatedData, plaintext);
    }

    /** Encrypts under a keyring's data key, naming it in the ciphertext (version 2). */
    static byte[] encrypt(final DataKeys.DataKey key, final byte[] associatedData, final byte[] plaintext) {
        final byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
        final byte[] prefix = new byte[2 + id.length];
        prefix[0] = KEYRING_VERSION;
        prefix[1] = (byte) id.length;
        System.arraycopy(id, 0, prefix, 2, id.length);
        return seal(prefix, key.key(), associatedData, plaintext);
    }

    private static byte[] seal(final byte[] prefix, final SecretKey key, final byte[] associatedData,
                               final byte[] plaintext) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOMS.get().nextBytes(nonce);
        final int header = prefix.length + NONCE_BYTES;
        final byte[] sealed = new byte[header + plaintext.length + TAG_BYTES];
        System.arraycopy(prefix, 0, sealed, 0, prefix.length);
        System.arraycopy(nonce, 0, sealed, prefix.length, NONCE_BYTES);
        try {
            final Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, header);
        } catch (final GeneralSecurityException e) {
            // Not the data's fault: the JDK's AES-GCM failed. Thrown so that onError (reject) fails closed.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
        }
        return Base64.getEncoder().encode(sealed);
    }

    /** A version-2 ciphertext, decoded: the data key it names, and where its nonce starts. */
    record KeyringSealed(String dekId, byte[] sealed, int nonceAt) {
    }

    /**
     * Reads which data key a version-2 ciphertext (base64 text as ASCII bytes) names.
     *
     * @throws CiphertextException when it is not a version-2 ciphertext
     */
    static KeyringSealed openKeyring(final byte[] base64) {
        final byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64);
        } catch (final IllegalArgumentException e) {
            throw new CiphertextException("is not a Sluice ciphertext (not base64)");
        }
        if (sealed.length < 2 || sealed[0] != KEYRING_VERSION) {
            throw new CiphertextException(sealed.length == 0 ? "is not a Sluice ciphertext (empty)"
                : "has ciphertext format version " + (sealed[0] & 0xff) + ", not " + KEYRING_VERSION
                + " (a keyring's); was it encrypted with a keyId instead?");
        }
        final int idLength = sealed[1] & 0xff;
        final int nonceAt = 2 + idLength;
        if (sealed.length < nonceAt + NONCE_BYTES + TAG_BYTES) {
            throw new CiphertextException("is not a Sluice ciphertext (too short)");
        }
        return new KeyringSealed(new String(sealed, 2, idLength, StandardCharsets.US_ASCII), sealed, nonceAt);
    }

    /**
     * Decrypts a version-2 ciphertext (base64 text as ASCII bytes) that must name {@code key}: the record's data key.
     *
     * @throws CiphertextException when it is not a version-2 ciphertext, names another key or does not authenticate
     */
    static byte[] decrypt(final DataKeys.DataKey key, final byte[] associatedData, final byte[] base64) {
        final KeyringSealed sealed = openKeyring(base64);
        if (!sealed.dekId().equals(key.id())) {
            throw new CiphertextException("names data key '" + sealed.dekId() + "', not the record's '" + key.id() + "'");
        }
        return decrypt(sealed, key.key(), associatedData);
    }

    /**
     * Decrypts a version-2 ciphertext with the data key it names.
     *
     * @throws CiphertextException when it does not authenticate
     */
    static byte[] decrypt(final KeyringSealed ciphertext, final SecretKey key, final byte[] associatedData) {
        final byte[] sealed = ciphertext.sealed();
        final int body = ciphertext.nonceAt() + NONCE_BYTES;
        try {
            final Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, sealed, ciphertext.nonceAt(),
                NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, body, sealed.length - body);
        } catch (final AEADBadTagException e) {
            throw new CiphertextException("does not authenticate under data key '" + ciphertext.dekId()
                + "' (tampered, or moved from another field)");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Decrypts base64 text (as ASCII bytes) written by {@link #encrypt}.
     *
     * @throws CiphertextException when the text is not a version-1 ciphertext or does not authenticate
     */
    static byte[] decrypt(final AesKey key, final byte[] associatedData, final byte[] base64) {
        final byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(base64);
        } catch (final IllegalArgumentException e) {
            throw new CiphertextException("is not a Sluice ciphertext (not base64)");
        }
        if (sealed.length < HEADER_BYTES + TAG_BYTES) {
            throw new CiphertextException("is not a Sluice ciphertext (too short)");
        }
        if (sealed[0] != VERSION) {
            throw new CiphertextException("has ciphertext format version " + (sealed[0] & 0xff) + "; this Sluice reads version " + VERSION);
        }
        try {
            final Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
        } catch (final AEADBadTagException e) {
            throw new CiphertextException("does not authenticate under key id '" + key.id()
                + "' (tampered, encrypted with another key, or moved from another field)");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getClass().getSimpleName());
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES/GCM/NoPadding", e);
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (final NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}

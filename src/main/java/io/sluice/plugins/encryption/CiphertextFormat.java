package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The ciphertext format, version 1 (see {@code FORMAT.md} beside this class): base64 of
 * {@code 0x01 || nonce(12) || AES-256-GCM ciphertext || tag(16)}, with associated data
 * {@code "sluice/v1|" + keyId + "|" + path}.
 */
final class CiphertextFormat {

    static final byte VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int HEADER_BYTES = 1 + NONCE_BYTES;
    /** The header that carries the key id of an encrypted record. */
    static final String KEY_ID_HEADER = "sluice-key-id";

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

    /** Encrypts under a fresh random nonce; returns the base64 text as ASCII bytes. */
    static byte[] encrypt(final AesKey key, final byte[] associatedData, final byte[] plaintext) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOMS.get().nextBytes(nonce);
        final byte[] sealed = new byte[HEADER_BYTES + plaintext.length + TAG_BYTES];
        sealed[0] = VERSION;
        System.arraycopy(nonce, 0, sealed, 1, NONCE_BYTES);
        try {
            final Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, HEADER_BYTES);
        } catch (final GeneralSecurityException e) {
            // Not the data's fault: the JDK's AES-GCM failed. Thrown so that onError (reject) fails closed.
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
        }
        return Base64.getEncoder().encode(sealed);
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

package io.sluice.plugins.fieldmasking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The secret salt of {@code HASH} masking. Without one, hashes of card numbers or phone numbers can be undone
 * by hashing every candidate; with one, only who holds the salt can. Never shown.
 */
final class Salt {

    static final int MIN_BYTES = 16;

    // MessageDigest is not thread-safe; one per stream thread.
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Salt::sha256);

    private final byte[] salt;

    Salt(final byte[] salt) {
        this.salt = salt.clone();
    }

    /** Lower-case hex of SHA-256(salt || UTF-8 text). */
    String hash(final String text) {
        final MessageDigest digest = SHA_256.get();
        digest.update(salt);
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Salt[hidden]";
    }
}

package io.sluice.plugins.encryption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.plugins.support.Secret;

/**
 * An AES-256 key and its id. The key material is read from {@code keyFile} or {@code keyEnv} (base64 of 32
 * bytes) and never shown: not in {@link #toString()}, not in problems, not in exceptions.
 */
final class AesKey {

    static final int KEY_BYTES = 32;
    /** Ids go into a header and into the associated data of every ciphertext: keep them plain. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String id;
    private final byte[] idBytes;
    private final SecretKeySpec key;

    private AesKey(final String id, final SecretKeySpec key) {
        this.id = id;
        this.idBytes = id.getBytes(StandardCharsets.UTF_8);
        this.key = key;
    }

    /** Reads {@code keyId}, recording a problem; {@code null} when missing or invalid. */
    static String readId(final ConfigReader config) {
        final String id = config.requiredString("keyId");
        if (id != null && !KEY_ID.matcher(id).matches()) {
            config.problem("keyId", "must be 1 to 128 of the characters A-Z a-z 0-9 . _ : -");
            return null;
        }
        return id;
    }

    /**
     * Reads the key material from the instance's file or environment.
     *
     * @throws IllegalArgumentException {@code keyFile: why} — never the material
     */
    static AesKey load(final String id, final Secret.Source source, final Function<String, String> environment) {
        final Secret secret = source.load(environment);
        final byte[] material;
        try {
            material = Base64.getDecoder().decode(secret.bytes());
        } catch (final IllegalArgumentException e) {
            throw Secret.problem(secret.field(), "the key is not base64 (expected the base64 of " + KEY_BYTES + " random bytes)");
        } finally {
            secret.destroy();
        }
        try {
            if (material.length != KEY_BYTES) {
                throw Secret.problem(secret.field(), "the key is " + material.length + " bytes long; AES-256 needs " + KEY_BYTES);
            }
            return new AesKey(id, new SecretKeySpec(material, "AES"));
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    String id() {
        return id;
    }

    /** The id as the UTF-8 bytes of the {@code sluice-key-id} header. Shared: do not modify. */
    byte[] idBytes() {
        return idBytes;
    }

    SecretKeySpec key() {
        return key;
    }

    @Override
    public String toString() {
        return "AesKey[id=" + id + ", material hidden]";
    }
}

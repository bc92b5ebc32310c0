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

    /** Reads {@code keyId} and the key from the config, recording every problem; {@code null} when invalid. */
    static AesKey read(final ConfigReader config, final Function<String, String> environment) {
        final String id = config.requiredString("keyId");
        if (id != null && !KEY_ID.matcher(id).matches()) {
            config.problem("keyId", "must be 1 to 128 of the characters A-Z a-z 0-9 . _ : -");
        }
        final Secret secret = Secret.read(config, "keyFile", "keyEnv", "key", true, environment);
        final SecretKeySpec key = secret == null ? null : decode(config, secret);
        return id == null || key == null || !KEY_ID.matcher(id).matches() ? null : new AesKey(id, key);
    }

    private static SecretKeySpec decode(final ConfigReader config, final Secret secret) {
        final byte[] material;
        try {
            material = Base64.getDecoder().decode(secret.bytes());
        } catch (final IllegalArgumentException e) {
            config.problem(secret.field(), "the key is not base64 (expected the base64 of " + KEY_BYTES + " random bytes)");
            return null;
        } finally {
            secret.destroy();
        }
        try {
            if (material.length != KEY_BYTES) {
                config.problem(secret.field(), "the key is " + material.length + " bytes long; AES-256 needs " + KEY_BYTES);
                return null;
            }
            return new SecretKeySpec(material, "AES");
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

package io.sluice.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.spec.SecretKeySpec;

/**
 * A keyring's key-encryption keys (KEKs): AES-256 keys that wrap its data keys, newest first. They come from a
 * file ({@code kekFile}: one base64 key per line, newest first; blank lines and {@code #} comments ignored) or an
 * environment variable ({@code kekEnv}: the same lines). A KEK never leaves the instance: data keys name the KEK
 * that wrapped them by its id, a fingerprint of the key ({@link #ID_BYTES} bytes of a SHA-256, in hex), from which
 * the key cannot be recovered. Messages name the source, never the material.
 */
public final class Kek {

    public static final int KEY_BYTES = 32;
    static final int ID_BYTES = 8;

    /** One KEK and its fingerprint id. */
    public record Key(String id, SecretKeySpec spec) {
        @Override
        public String toString() {
            return "Kek.Key[" + id + ", material hidden]";
        }
    }

    private final List<Key> keys;
    private final String source;

    private Kek(final List<Key> keys, final String source) {
        this.keys = List.copyOf(keys);
        this.source = source;
    }

    /**
     * Reads the KEKs of a file.
     *
     * @throws KeyringException naming the file and what is wrong with it, never its content
     */
    public static Kek fromFile(final Path file) {
        final String source = "the KEK file '" + file + "'";
        final byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (final IOException | SecurityException e) {
            throw new KeyringException("cannot read " + source + ": " + (e instanceof java.nio.file.NoSuchFileException
                ? "no such file" : e.getClass().getSimpleName()));
        }
        try {
            return parse(new String(content, StandardCharsets.US_ASCII), source);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** Reads the KEKs of an environment variable ({@code environment} is {@code System::getenv} but in tests). */
    public static Kek fromEnv(final String variable, final Function<String, String> environment) {
        final String value = environment.apply(variable);
        final String source = "the environment variable '" + variable + "'";
        if (value == null) {
            throw new KeyringException(source + " is not set");
        }
        return parse(value, source);
    }

    private static Kek parse(final String text, final String source) {
        final List<Key> keys = new ArrayList<>();
        int line = 0;
        for (final String raw : text.split("\n", -1)) {
            line++;
            final String entry = raw.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            final byte[] material;
            try {
                material = Base64.getDecoder().decode(entry);
            } catch (final IllegalArgumentException e) {
                throw new KeyringException(source + ", line " + line + ": not base64 (expected the base64 of "
                    + KEY_BYTES + " random bytes)");
            }
            try {
                if (material.length != KEY_BYTES) {
                    throw new KeyringException(source + ", line " + line + ": a key of " + material.length
                        + " bytes; a KEK is " + KEY_BYTES + " bytes (AES-256)");
                }
                final Key key = new Key(fingerprint(material), new SecretKeySpec(material, "AES"));
                if (keys.stream().anyMatch(other -> other.id().equals(key.id()))) {
                    throw new KeyringException(source + ", line " + line + ": the same key as an earlier line");
                }
                keys.add(key);
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }
        if (keys.isEmpty()) {
            throw new KeyringException(source + " holds no key (one base64 key per line, newest first)");
        }
        return new Kek(keys, source);
    }

    private static String fingerprint(final byte[] material) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("sluice-kek-id/v1|".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(material), 0, ID_BYTES);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The KEK new data keys are wrapped with: the first of the file. */
    public Key newest() {
        return keys.get(0);
    }

    /** The KEK with that id, if this keyring still holds it. */
    public Optional<Key> byId(final String id) {
        return keys.stream().filter(key -> key.id().equals(id)).findFirst();
    }

    /** The ids, newest first. */
    public List<String> ids() {
        return keys.stream().map(Key::id).toList();
    }

    @Override
    public String toString() {
        return "Kek[" + keys.size() + " key(s) from " + source + ", material hidden]";
    }
}

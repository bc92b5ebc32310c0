package io.sluice.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KekTest {

    @TempDir
    Path dir;

    static String newKey() {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void aFileListsKeksNewestFirstWithCommentsAndBlankLines() throws Exception {
        // given
        final String newer = newKey();
        final String older = newKey();
        final Path file = Files.writeString(dir.resolve("pii.kek"), "# rotated 2026-12\n" + newer + "\n\n" + older + "\n");

        // when
        final Kek kek = Kek.fromFile(file);

        // then: ids are fingerprints, stable, and the newest is the first line
        assertEquals(2, kek.ids().size());
        assertEquals(kek.ids().get(0), kek.newest().id());
        assertEquals(Kek.fromFile(Files.writeString(dir.resolve("again.kek"), newer)).newest().id(), kek.newest().id());
        assertNotEquals(kek.ids().get(0), kek.ids().get(1));
        assertTrue(kek.byId(kek.ids().get(1)).isPresent());
        assertFalse(kek.toString().contains(newer) || kek.newest().toString().contains(newer));
    }

    @Test
    void problemsNameTheSourceAndLineButNeverTheMaterial() throws Exception {
        final String key = newKey();
        final String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertEquals("the KEK file '" + dir.resolve("short.kek") + "', line 2: a key of 16 bytes; a KEK is 32 bytes (AES-256)",
            assertThrows(KeyringException.class, () -> Kek.fromFile(Files.writeString(dir.resolve("short.kek"),
                key + "\n" + shortKey))).getMessage());
        assertEquals("the KEK file '" + dir.resolve("bad.kek") + "', line 1: not base64 (expected the base64 of 32 random bytes)",
            assertThrows(KeyringException.class, () -> Kek.fromFile(Files.writeString(dir.resolve("bad.kek"),
                "not a key!"))).getMessage());
        assertEquals("cannot read the KEK file '" + dir.resolve("missing.kek") + "': no such file",
            assertThrows(KeyringException.class, () -> Kek.fromFile(dir.resolve("missing.kek"))).getMessage());
        assertEquals("the KEK file '" + dir.resolve("empty.kek") + "' holds no key (one base64 key per line, newest first)",
            assertThrows(KeyringException.class, () -> Kek.fromFile(Files.writeString(dir.resolve("empty.kek"),
                "# nothing\n"))).getMessage());
        assertEquals("the environment variable 'PII_KEK' is not set",
            assertThrows(KeyringException.class, () -> Kek.fromEnv("PII_KEK", Map.<String, String>of()::get)).getMessage());
        assertEquals(Kek.fromEnv("PII_KEK", Map.of("PII_KEK", key)::get).newest().id(),
            Kek.fromFile(Files.writeString(dir.resolve("same.kek"), key)).newest().id());
    }
}

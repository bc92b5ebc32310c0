package io.sluice.keys;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * One keyring of the topology ({@code keyrings: {pii: {kekFile: F | kekEnv: E, dekScope: none|vcluster|user}}}).
 *
 * @param name     the name bindings use ({@code keyring: pii})
 * @param kekFile  the file of its KEKs, or {@code null}
 * @param kekEnv   the environment variable of its KEKs, or {@code null} (exactly one of the two is set)
 * @param dekScope what one data key covers
 */
public record KeyringSpec(String name, Path kekFile, String kekEnv, DekScope dekScope) {

    /** Reads the KEKs; only instances (and {@code keys rotate|rewrap}) need them. */
    public Kek kek(final Function<String, String> environment) {
        try {
            return kekFile != null ? Kek.fromFile(kekFile) : Kek.fromEnv(kekEnv, environment);
        } catch (final KeyringException e) {
            throw new KeyringException("keyring '" + name + "': " + e.getMessage());
        }
    }
}

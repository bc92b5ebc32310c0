package io.sluice.plugins.encryption;

import java.util.function.Function;

/**
 * {@code field-encryption}: AES-256-GCM encryption of JSON fields, or of the whole value, under a key read from a
 * file or an environment variable. The ciphertext format is in {@code FORMAT.md} beside this class.
 */
public final class FieldEncryptionFactory extends CryptoFactory {

    public FieldEncryptionFactory() {
        this(System::getenv);
    }

    /** For tests: an environment of their own for {@code keyEnv}. */
    FieldEncryptionFactory(final Function<String, String> environment) {
        super("field-encryption",
            "AES-256-GCM encryption of JSON fields or of the whole value; the key id goes to the sluice-key-id header",
            FieldEncryptionInterceptor::new, environment);
    }
}

package io.sluice.plugins.encryption;

import java.util.function.Function;

/**
 * {@code field-decryption}: the inverse of {@code field-encryption} with the same config, for routes that produce a
 * decrypted view for the scopes allowed to see it.
 */
public final class FieldDecryptionFactory extends CryptoFactory {

    public FieldDecryptionFactory() {
        this(System::getenv);
    }

    /** For tests: an environment of their own for {@code keyEnv}. */
    FieldDecryptionFactory(final Function<String, String> environment) {
        super("field-decryption", "Decrypts what field-encryption encrypted with the same config; another key id is rejected",
            FieldDecryptionInterceptor::new, environment);
    }
}

package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;

/**
 * {@code field-encryption}: AES-256-GCM encryption of JSON fields, or of the whole value, under a key read from a
 * file or an environment variable. The ciphertext format is in {@code FORMAT.md} beside this class.
 * Defaults to {@code onError: reject}: a failing encryptor never lets plaintext through.
 */
public final class FieldEncryptionFactory implements InterceptorFactory {

    private final Function<String, String> environment;

    public FieldEncryptionFactory() {
        this(System::getenv);
    }

    /** For tests: an environment of their own for {@code keyEnv}. */
    FieldEncryptionFactory(final Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String type() {
        return "field-encryption";
    }

    @Override
    public String description() {
        return "AES-256-GCM encryption of JSON fields or of the whole value; the key id goes to the sluice-key-id header";
    }

    @Override
    public List<ConfigField> configFields() {
        return CryptoFields.fields("encrypt");
    }

    @Override
    public OnError defaultOnError() {
        return OnError.REJECT;
    }

    @Override
    public List<ConfigProblem> validate(final JsonNode config) {
        final ConfigReader reader = ConfigReader.of(config);
        CryptoConfig.read(reader, environment);
        return reader.problems();
    }

    @Override
    public Interceptor create(final InterceptorSetup setup) {
        final ConfigReader reader = ConfigReader.of(setup.config());
        return new FieldEncryptionInterceptor(reader.orThrow(CryptoConfig.read(reader, environment)));
    }
}

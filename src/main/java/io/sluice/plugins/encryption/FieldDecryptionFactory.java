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
 * {@code field-decryption}: the inverse of {@code field-encryption} with the same config, for routes that produce a
 * decrypted view for the scopes allowed to see it.
 */
public final class FieldDecryptionFactory implements InterceptorFactory {

    private final Function<String, String> environment;

    public FieldDecryptionFactory() {
        this(System::getenv);
    }

    /** For tests: an environment of their own for {@code keyEnv}. */
    FieldDecryptionFactory(final Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public String type() {
        return "field-decryption";
    }

    @Override
    public String description() {
        return "Decrypts what field-encryption encrypted with the same config; another key id is rejected";
    }

    @Override
    public List<ConfigField> configFields() {
        return CryptoFields.fields("decrypt");
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
        return new FieldDecryptionInterceptor(reader.orThrow(CryptoConfig.read(reader, environment)));
    }
}

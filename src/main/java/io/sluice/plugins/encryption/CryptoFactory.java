package io.sluice.plugins.encryption;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.DataKeys;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;

/**
 * What {@code field-encryption} and {@code field-decryption} share: one config ({@link CryptoConfig}), key handling,
 * and {@code onError: reject} by default — a failing cipher never lets plaintext through.
 */
abstract class CryptoFactory implements InterceptorFactory {

    private final String type;
    private final String description;
    private final String verb;
    private final java.util.function.BiFunction<CryptoConfig, DataKeys, Interceptor> interceptor;
    private final Function<String, String> environment;

    CryptoFactory(final String type, final String description, final String verb,
                  final java.util.function.BiFunction<CryptoConfig, DataKeys, Interceptor> interceptor,
                  final Function<String, String> environment) {
        this.type = type;
        this.description = description;
        this.verb = verb;
        this.interceptor = interceptor;
        this.environment = environment;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<ConfigField> configFields() {
        return CryptoFields.fields(verb);
    }

    @Override
    public final OnError defaultOnError() {
        return OnError.REJECT;
    }

    @Override
    public final List<ConfigProblem> validate(final JsonNode config) {
        return ConfigReader.problems(config, reader -> CryptoConfig.read(reader, environment, decrypting()));
    }

    @Override
    public final Interceptor create(final InterceptorSetup setup) {
        final CryptoConfig config = ConfigReader.parse(setup.config(),
            reader -> CryptoConfig.read(reader, environment, decrypting()));
        if (config.keyring() != null && !setup.dataKeys().has(config.keyring())) {
            // Checked here, not at apply: only an instance knows its topology's keyrings. Failing to create is
            // handled like a failing onSend, and onError defaults to reject: no plaintext passes for want of a key.
            throw new IllegalStateException("keyring '" + config.keyring() + "' is not in this instance's topology");
        }
        return interceptor.apply(config, setup.dataKeys());
    }

    private boolean decrypting() {
        return "decrypt".equals(verb);
    }
}

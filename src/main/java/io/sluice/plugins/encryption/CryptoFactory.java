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
 * What {@code field-encryption} and {@code field-decryption} share: one config ({@link CryptoConfig}), key handling,
 * and {@code onError: reject} by default — a failing cipher never lets plaintext through.
 */
abstract class CryptoFactory implements InterceptorFactory {

    private final String type;
    private final String description;
    private final String verb;
    private final Function<CryptoConfig, Interceptor> interceptor;
    private final Function<String, String> environment;

    CryptoFactory(final String type, final String description, final String verb,
                  final Function<CryptoConfig, Interceptor> interceptor, final Function<String, String> environment) {
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
        return ConfigReader.problems(config, reader -> CryptoConfig.read(reader, environment));
    }

    @Override
    public final Interceptor create(final InterceptorSetup setup) {
        return interceptor.apply(ConfigReader.parse(setup.config(), reader -> CryptoConfig.read(reader, environment)));
    }
}

package io.sluice.plugins.encryption;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/**
 * What {@code field-encryption} and {@code field-decryption} share: one config ({@link CryptoConfig}), key handling,
 * and {@code onError: reject} by default — a failing cipher never lets plaintext through.
 */
abstract class CryptoFactory implements TypedInterceptorFactory<CryptoConfig> {

    private final String type;
    private final String description;
    private final Function<CryptoConfig, Interceptor> interceptor;
    private final Function<String, String> environment;

    CryptoFactory(final String type, final String description,
                  final Function<CryptoConfig, Interceptor> interceptor, final Function<String, String> environment) {
        this.type = type;
        this.description = description;
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
    public final OnError defaultOnError() {
        return OnError.REJECT;
    }

    @Override
    public final Class<CryptoConfig> configType() {
        return CryptoConfig.class;
    }

    @Override
    public final ParsedConfig<CryptoConfig> parse(final JsonNode config) {
        return ConfigReader.parsed(config, CryptoConfig::read);
    }

    /** Reads the key from this instance's file or environment: a missing or bad key fails the creation. */
    @Override
    public final Interceptor create(final InterceptorSetup setup, final CryptoConfig config) {
        return interceptor.apply(config.withKey(environment));
    }
}

package io.sluice.plugins.encryption;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.DataKeys;
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
    private final java.util.function.BiFunction<CryptoConfig, DataKeys, Interceptor> interceptor;
    private final Function<String, String> environment;

    CryptoFactory(final String type, final String description,
                  final java.util.function.BiFunction<CryptoConfig, DataKeys, Interceptor> interceptor,
                  final Function<String, String> environment) {
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
        return ConfigReader.parsed(config, reader -> CryptoConfig.read(reader, decrypting()));
    }

    /**
     * Reads a key of the binding's own from this instance's file or environment, or checks that the instance has the
     * binding's keyring: a missing or bad key fails the creation.
     */
    @Override
    public final Interceptor create(final InterceptorSetup setup, final CryptoConfig config) {
        if (config.keyring() != null && !setup.dataKeys().has(config.keyring())) {
            // Checked here, not at apply: only an instance knows its topology's keyrings. Failing to create is
            // handled like a failing onSend, and onError defaults to reject: no plaintext passes for want of a key.
            throw new IllegalStateException("keyring '" + config.keyring() + "' is not in this instance's topology");
        }
        return interceptor.apply(config.withKey(environment), setup.dataKeys());
    }

    private boolean decrypting() {
        return "field-decryption".equals(type);
    }
}

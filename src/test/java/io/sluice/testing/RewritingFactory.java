package io.sluice.testing;

import java.nio.charset.StandardCharsets;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.SendRecord;

/** {@code rewriting}: replaces the record's key and value with the configured {@code key} and {@code value}. */
public final class RewritingFactory extends TestFactory {

    public static final String TYPE = "rewriting";

    public RewritingFactory() {
        super(TYPE, required("key"), required("value"));
    }

    @Override
    Interceptor create(final InterceptorSetup setup, final ConfigReader config) {
        final byte[] key = config.requiredString("key").getBytes(StandardCharsets.UTF_8);
        final byte[] value = config.requiredString("value").getBytes(StandardCharsets.UTF_8);
        return new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                record.key(key);
                record.value(value);
            }
        };
    }
}

package io.sluice.testing;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.SendRecord;

/** {@code throwing}: a buggy plugin whose {@code onSend} throws {@code IllegalStateException(message)}. Config: {@code message} (default {@code boom}). */
public final class ThrowingFactory extends TestFactory {

    public static final String TYPE = "throwing";

    public ThrowingFactory() {
        super(TYPE, optional("message"));
    }

    @Override
    Interceptor create(final InterceptorSetup setup, final ConfigReader config) {
        final String message = config.string("message", "boom");
        return new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                throw new IllegalStateException(message);
            }
        };
    }
}

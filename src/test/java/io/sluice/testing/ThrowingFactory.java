package io.sluice.testing;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.SendRecord;

/**
 * {@code throwing}: a buggy plugin that throws {@code IllegalStateException(message)} in {@code onSend}, or, with
 * {@code hook: create}, when an instance is created. Config: {@code message} (default {@code boom}), {@code hook}
 * ({@code onSend} or {@code create}; default {@code onSend}).
 */
public final class ThrowingFactory extends TestFactory {

    public static final String TYPE = "throwing";

    public ThrowingFactory() {
        super(TYPE, optional("message"), optional("hook"));
    }

    @Override
    Interceptor create(final InterceptorSetup setup, final ConfigReader config) {
        final String message = config.string("message", "boom");
        if ("create".equals(config.string("hook", "onSend"))) {
            throw new IllegalStateException(message);
        }
        return new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                throw new IllegalStateException(message);
            }
        };
    }
}

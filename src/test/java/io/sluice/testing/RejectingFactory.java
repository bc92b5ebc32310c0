package io.sluice.testing;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.SendRecord;

/** {@code rejecting}: rejects every record with the configured {@code reason} (required). */
public final class RejectingFactory extends TestFactory {

    public static final String TYPE = "rejecting";

    public RejectingFactory() {
        super(TYPE, required("reason"));
    }

    @Override
    Interceptor create(final InterceptorSetup setup, final ConfigReader config) {
        final String reason = config.requiredString("reason");
        return new Interceptor() {
            @Override
            public void onSend(final SendRecord record) {
                record.reject(reason);
            }
        };
    }
}

package io.sluice.plugins.headerinjection;

import org.apache.kafka.common.header.Headers;

import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/** Adds the configured headers to every record. */
final class HeaderInjectionInterceptor implements Interceptor {

    // Arrays, not the config's map: the hot path iterates without an iterator or entry objects.
    private final String[] names;
    private final Template[] templates;
    private final boolean overwrite;

    HeaderInjectionInterceptor(final HeaderInjectionConfig config) {
        this.names = config.headers().keySet().toArray(String[]::new);
        this.templates = new Template[names.length];
        for (int i = 0; i < names.length; i++) {
            templates[i] = config.headers().get(names[i]);
        }
        this.overwrite = config.overwrite();
    }

    @Override
    public void onSend(final SendRecord record) {
        final Headers headers = record.headers();
        for (int i = 0; i < names.length; i++) {
            if (headers.lastHeader(names[i]) != null) {
                if (!overwrite) {
                    continue;
                }
                headers.remove(names[i]);
            }
            headers.add(names[i], templates[i].render(record));
        }
    }
}

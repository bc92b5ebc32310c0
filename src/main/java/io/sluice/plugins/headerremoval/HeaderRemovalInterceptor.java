package io.sluice.plugins.headerremoval;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;

import io.sluice.spi.Interceptor;
import io.sluice.spi.SendRecord;

/** Removes every header whose whole name matches the pattern. */
final class HeaderRemovalInterceptor implements Interceptor {

    /**
     * A topic carries few distinct header names, each on every record: remember each name's verdict instead
     * of running the regex (and allocating a {@code Matcher}) per header per record. Bounded, so that records
     * with random header names cannot grow it without limit.
     */
    private static final int MAX_REMEMBERED_NAMES = 1024;

    private final Pattern pattern;
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

    HeaderRemovalInterceptor(final HeaderRemovalConfig config) {
        this.pattern = config.pattern();
    }

    @Override
    public void onSend(final SendRecord record) {
        for (final Iterator<Header> headers = record.headers().iterator(); headers.hasNext(); ) {
            if (matches(headers.next().key())) {
                headers.remove();
            }
        }
    }

    private boolean matches(final String name) {
        final Boolean known = verdicts.get(name);
        if (known != null) {
            return known;
        }
        final boolean matches = pattern.matcher(name).matches();
        if (verdicts.size() < MAX_REMEMBERED_NAMES) {
            verdicts.put(name, matches);
        }
        return matches;
    }
}

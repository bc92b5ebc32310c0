package io.sluice.console;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of a request's query string. Every parameter is checked: an unknown name, a name given twice, a
 * value with control characters or longer than {@link #MAX_LENGTH} is a {@link BadRequest}. Empty values count as
 * absent (an HTML form sends its empty fields).
 */
public final class Query {

    /** The longest value accepted: a username, group list or topic fits; anything longer is a mistake or an attack. */
    static final int MAX_LENGTH = 4096;

    private final Map<String, String> values;

    private Query(final Map<String, String> values) {
        this.values = values;
    }

    /** Parses the raw query of {@code uri}, accepting only the {@code allowed} names. */
    static Query parse(final URI uri, final Set<String> allowed) {
        final Map<String, String> values = new LinkedHashMap<>();
        final String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (final String pair : raw.split("&", -1)) {
                if (pair.isEmpty()) {
                    continue;
                }
                final int equals = pair.indexOf('=');
                final String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                final String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (!allowed.contains(name)) {
                    throw new BadRequest("unknown parameter '" + printable(name) + "'"
                        + (allowed.isEmpty() ? ": this page takes none" : " (expected " + String.join(", ",
                            new TreeSet<>(allowed)) + ")"));
                }
                if (values.containsKey(name)) {
                    throw new BadRequest("parameter '" + name + "' given twice");
                }
                check(name, value);
                values.put(name, value.strip());
            }
        }
        return new Query(values);
    }

    /** The value, or {@code null} when absent or empty. */
    public String text(final String name) {
        final String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public int integer(final String name, final int fallback, final int min, final int max) {
        final String value = text(name);
        if (value == null) {
            return fallback;
        }
        try {
            final int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw new BadRequest(name + " '" + value + "': must be a whole number from " + min + " to " + max);
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    private static String decode(final String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            throw new BadRequest("the query string is not URL-encoded correctly");
        }
    }

    private static void check(final String name, final String value) {
        if (value.length() > MAX_LENGTH) {
            throw new BadRequest(name + ": longer than " + MAX_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest(name + ": contains control characters");
        }
    }

    private static String printable(final String text) {
        final String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}

package io.sluice.plugins.headerinjection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;

/**
 * A header value template such as {@code trace-{{uuid}}}, parsed once when the interceptor is created.
 * A template without placeholders is rendered once, at parse time.
 */
final class Template {

    /** The placeholders a template may use, by their name between braces. */
    enum Placeholder {
        UUID, USER, VCLUSTER, GROUPS, TOPIC, PARTITION, OFFSET, TIMESTAMP, INTERCEPTOR;

        static Placeholder named(final String name) {
            for (final Placeholder placeholder : values()) {
                if (placeholder.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return placeholder;
                }
            }
            return null;
        }

        static String names() {
            final StringBuilder names = new StringBuilder();
            for (final Placeholder placeholder : values()) {
                names.append(names.length() == 0 ? "" : ", ")
                    .append("{{").append(placeholder.name().toLowerCase(Locale.ROOT)).append("}}");
            }
            return names.toString();
        }
    }

    /** Literal strings and {@link Placeholder}s, in order. */
    private final Object[] parts;
    /** The rendered value when the template has no placeholder, else {@code null}. */
    private final byte[] constant;

    private Template(final List<Object> parts) {
        this.parts = parts.toArray();
        this.constant = parts.stream().allMatch(String.class::isInstance)
            ? String.join("", parts.stream().map(String.class::cast).toList()).getBytes(StandardCharsets.UTF_8)
            : null;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the unknown placeholder or the unclosed braces
     */
    static Template parse(final String text) {
        final List<Object> parts = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            final int open = text.indexOf("{{", from);
            if (open < 0) {
                parts.add(text.substring(from));
                break;
            }
            final int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at position " + open + " is not closed with '}}'");
            }
            if (open > from) {
                parts.add(text.substring(from, open));
            }
            final String name = text.substring(open + 2, close).trim();
            final Placeholder placeholder = Placeholder.named(name);
            if (placeholder == null) {
                throw new IllegalArgumentException("unknown placeholder '{{" + name + "}}'; known: " + Placeholder.names());
            }
            parts.add(placeholder);
            from = close + 2;
        }
        return new Template(parts);
    }

    /** The header value for one record. A template without placeholders returns the same shared bytes. */
    byte[] render(final SendRecord record) {
        if (constant != null) {
            return constant;
        }
        final StringBuilder value = new StringBuilder(64);
        for (final Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                append(value, placeholder, record);
            } else {
                value.append((String) part);
            }
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(final StringBuilder value, final Placeholder placeholder, final SendRecord record) {
        final RecordContext context = record.context();
        switch (placeholder) {
            case UUID -> value.append(randomUuid());
            case USER -> value.append(context.username() == null ? "" : context.username());
            case VCLUSTER -> value.append(context.vcluster());
            case GROUPS -> appendGroups(value, context.groups());
            case TOPIC -> value.append(context.topic());
            case PARTITION -> value.append(context.partition());
            case OFFSET -> value.append(context.offset());
            case TIMESTAMP -> value.append(context.timestamp());
            case INTERCEPTOR -> value.append(record.interceptorName());
            default -> throw new IllegalStateException("unhandled placeholder " + placeholder);
        }
    }

    /** Sorted, so that the same groups always give the same header value. */
    private static void appendGroups(final StringBuilder value, final Set<String> groups) {
        if (groups.size() == 1) {
            value.append(groups.iterator().next());
        } else if (!groups.isEmpty()) {
            value.append(String.join(",", new TreeSet<>(groups)));
        }
    }

    /**
     * A version-4 UUID from the thread's fast random generator: trace ids must be unique, not unpredictable,
     * and {@link UUID#randomUUID()} would serialize every stream thread on one {@code SecureRandom}.
     */
    private static UUID randomUuid() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        final long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}

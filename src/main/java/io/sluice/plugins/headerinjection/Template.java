package io.sluice.plugins.headerinjection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;

/**
 * A header value template such as {@code trace-{{uuid}}}, compiled once per binding version (when the binding's config
 * is parsed): literal parts are kept as bytes, and a record's value is written straight as UTF-8.
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

    /** Every placeholder, as {@code sluice plugins} lists them (a constant: it documents the config record). */
    static final String PLACEHOLDERS = "{{uuid}}, {{user}}, {{vcluster}}, {{groups}}, {{topic}}, {{partition}},"
        + " {{offset}}, {{timestamp}}, {{interceptor}}";

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Per stream thread: a record's value is written here, then copied out once at its exact length. */
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[256]});

    /** Literal parts as UTF-8 bytes and {@link Placeholder}s, in order (compiled once, when the binding is read). */
    private final Object[] parts;
    /** The rendered value when the template has no placeholder, else {@code null}. */
    private final byte[] constant;

    private Template(final List<Object> parts) {
        this.parts = parts.stream()
            .map(part -> part instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : part).toArray();
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
                throw new IllegalArgumentException("unknown placeholder '{{" + name + "}}'; known: " + PLACEHOLDERS);
            }
            parts.add(placeholder);
            from = close + 2;
        }
        return new Template(parts);
    }

    /**
     * The header value for one record. A template without placeholders returns the same shared bytes; otherwise the
     * value is written as bytes into a per-thread buffer and copied out: one allocation per header.
     */
    byte[] render(final SendRecord record) {
        if (constant != null) {
            return constant;
        }
        final byte[][] scratch = SCRATCH.get();
        final Writer out = new Writer(scratch[0]);
        for (final Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                append(out, placeholder, record);
            } else {
                out.bytes((byte[]) part);
            }
        }
        scratch[0] = out.buffer;
        return Arrays.copyOf(out.buffer, out.length);
    }

    private static void append(final Writer out, final Placeholder placeholder, final SendRecord record) {
        final RecordContext context = record.context();
        switch (placeholder) {
            case UUID -> out.uuid();
            case USER -> out.text(context.username() == null ? "" : context.username());
            case VCLUSTER -> out.text(context.vcluster());
            case GROUPS -> appendGroups(out, context.groups());
            case TOPIC -> out.text(context.topic());
            case PARTITION -> out.number(context.partition());
            case OFFSET -> out.number(context.offset());
            case TIMESTAMP -> out.number(context.timestamp());
            case INTERCEPTOR -> out.text(record.interceptorName());
            default -> throw new IllegalStateException("unhandled placeholder " + placeholder);
        }
    }

    /** Sorted, so that the same groups always give the same header value (the identity's set is sorted already). */
    private static void appendGroups(final Writer out, final Set<String> groups) {
        if (groups.size() == 1) {
            out.text(groups.iterator().next());
        } else if (!groups.isEmpty()) {
            out.text(String.join(",", groups instanceof SortedSet<String> ? groups : new TreeSet<>(groups)));
        }
    }

    /**
     * Appends UTF-8 to a growable byte buffer. The writer itself is a short-lived local: escape analysis keeps it off
     * the heap.
     */
    private static final class Writer {
        byte[] buffer;
        int length;

        Writer(final byte[] buffer) {
            this.buffer = buffer;
        }

        private void room(final int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        void bytes(final byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        void text(final String text) {
            final int size = text.length();
            room(size);
            for (int i = 0; i < size; i++) {
                final char c = text.charAt(i);
                if (c >= 0x80) {
                    // Not ASCII: let the JDK encode the rest (surrogates, replacement of lone ones as it does).
                    bytes(text.substring(i).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                buffer[length++] = (byte) c;
            }
        }

        void number(final long value) {
            if (value == Long.MIN_VALUE) {
                bytes(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            long rest = value;
            if (rest < 0) {
                room(1);
                buffer[length++] = '-';
                rest = -rest;
            }
            int digits = 1;
            for (long bound = 10; digits < 19 && rest >= bound; bound *= 10) {
                digits++;
            }
            room(digits);
            for (int i = length + digits - 1; i >= length; i--) {
                buffer[i] = (byte) ('0' + rest % 10);
                rest /= 10;
            }
            length += digits;
        }

        /**
         * A version-4 UUID from the thread's fast random generator, as text: trace ids must be unique, not
         * unpredictable, and {@link java.util.UUID#randomUUID()} would serialize every stream thread on one
         * {@code SecureRandom}.
         */
        void uuid() {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            final long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
            final long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
            room(36);
            hex(most >>> 32, 8);
            buffer[length++] = '-';
            hex(most >>> 16, 4);
            buffer[length++] = '-';
            hex(most, 4);
            buffer[length++] = '-';
            hex(least >>> 48, 4);
            buffer[length++] = '-';
            hex(least, 12);
        }

        private void hex(final long value, final int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                buffer[length + i] = HEX[(int) ((value >>> (4 * (digits - 1 - i))) & 0xf)];
            }
            length += digits;
        }
    }
}

package io.sluice.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sluice.value.JsonCodec;

/**
 * The value codecs by format name, as a binding's {@code valueFormat} names them. Built in: {@code json}, and
 * {@code auto}, the default, which reads a value framed for a schema registry through the registry when one is
 * configured and any other value as JSON (today, without a registry codec installed: JSON). Codecs that need the
 * application (a schema registry client) are installed at start-up with {@link #install}; a plugin holds the
 * handle {@link #named} returns, which finds the installed codec when a record needs it.
 */
public final class ValueCodecs {

    /** The formats a binding's {@code valueFormat} may name. */
    public static final java.util.List<String> FORMATS = java.util.List.of("auto", "json", "confluent-avro", "confluent-json", "avro");

    private static final Map<String, ValueCodec> INSTALLED = new ConcurrentHashMap<>();
    private static final Map<String, Named> HANDLES = new ConcurrentHashMap<>();

    static {
        INSTALLED.put("json", JsonCodec.INSTANCE);
        INSTALLED.put("auto", JsonCodec.INSTANCE);
    }

    private ValueCodecs() {
    }

    /** The JSON (UTF-8) codec. */
    public static ValueCodec json() {
        return named("json");
    }

    /** The default codec: what {@link SendRecord#valueView()} reads through. */
    public static ValueCodec auto() {
        return named("auto");
    }

    /**
     * The codec of a format name. The handle is the same object for the same name, so the interceptors of a chain
     * that name the same format share one decoded value. A format with no installed codec fails each value it is
     * asked to read with a {@link ValueFormatException} that says so.
     */
    public static ValueCodec named(final String format) {
        return HANDLES.computeIfAbsent(format, Named::new);
    }

    /** Installs (or replaces) the codec of its {@link ValueCodec#format()}; e.g. registry formats at start-up. */
    public static void install(final ValueCodec codec) {
        INSTALLED.put(codec.format(), codec);
    }

    /** Installs a codec under another name, e.g. a registry-aware one as {@code auto}. */
    public static void install(final String format, final ValueCodec codec) {
        INSTALLED.put(format, codec);
    }

    /** The installed codec of a name, or a codec that refuses every value. */
    static ValueCodec resolve(final String format) {
        final ValueCodec codec = INSTALLED.get(format);
        if (codec == null) {
            throw new ValueFormatException("no codec for value format '" + format + "' is installed"
                + (format.startsWith("confluent-") ? " (it needs the topology's schemaRegistry)" : ""));
        }
        return codec;
    }

    /** A late-bound handle: finds the installed codec at each use. */
    private record Named(String format) implements ValueCodec {

        @Override
        public ValueCodec resolved() {
            return resolve(format);
        }

        @Override
        public String formatOf(final byte[] value) {
            return resolve(format).formatOf(value);
        }

        @Override
        public int schemaIdOf(final byte[] value) {
            return resolve(format).schemaIdOf(value);
        }

        @Override
        public DecodedValue decode(final byte[] value) {
            return resolve(format).decode(value);
        }

        @Override
        public void check(final byte[] value) {
            resolve(format).check(value);
        }

        @Override
        public Streamed stream(final byte[] value, final FieldEdits edits) {
            return resolve(format).stream(value, edits);
        }
    }
}

package io.sluice.registry;

import io.sluice.spi.ValueCodecs;

/**
 * Installs the registry's value codecs ({@code confluent-avro}, {@code confluent-json}, and {@code auto} reading
 * framed values through the registry) behind the value view, at start-up, and the client that
 * {@code schema-validation}'s {@code subject} checks ask.
 */
public final class RegistryCodecs {

    private static volatile SchemaRegistryClient installed;

    private RegistryCodecs() {
    }

    public static void install(final SchemaRegistryClient registry) {
        final ConfluentAvro avro = new ConfluentAvro(registry);
        final ConfluentJson json = new ConfluentJson(registry);
        ValueCodecs.install(avro);
        ValueCodecs.install(json);
        ValueCodecs.install(AutoCodec.FORMAT, new AutoCodec(registry, avro, json));
        installed = registry;
    }

    /** The installed registry, or {@code null} when the topology has none. */
    public static SchemaRegistryClient registry() {
        return installed;
    }

    /** The installed {@code confluent-json} codec, for its schemas; {@code null} without a registry. */
    public static ConfluentJson json() {
        return installed == null ? null : (ConfluentJson) ValueCodecs.named(ConfluentJson.FORMAT).resolved();
    }
}

package io.sluice.plugins.support;

import java.util.List;

import io.sluice.spi.ConfigField;
import io.sluice.spi.ValueCodec;
import io.sluice.spi.ValueCodecs;

/**
 * A field plugin's {@code valueFormat} (SPEC section 8): {@code auto} (the default: framed values through the
 * topology's schema registry, anything else JSON), {@code json}, {@code confluent-avro}, {@code confluent-json},
 * or {@code avro} (raw Avro of the binding's {@code avroSchema}, where the plugin has one).
 */
public final class ValueFormats {

    public static final String FIELD = "valueFormat";
    public static final String AVRO = "avro";

    /** The field's documentation, for a config record's {@code @ConfigDoc} (constants: annotation values). */
    public static final String TYPE = "auto | json | confluent-avro | confluent-json";
    public static final String TYPE_WITH_AVRO = TYPE + " | avro";
    public static final String DEFAULT = "auto";
    public static final String DESCRIPTION = "how values are read: auto (framed for a schema registry: through the"
        + " topology's schemaRegistry, by the schema type of the id; else JSON), json, confluent-avro, confluent-json";
    public static final String DESCRIPTION_WITH_AVRO = DESCRIPTION + ", or avro (raw Avro of avroSchema; implied by it)";

    private ValueFormats() {
    }

    /** The config field, for a plugin with ({@code withAvro}) or without an {@code avroSchema}. */
    public static ConfigField field(final boolean withAvro) {
        return new ConfigField(FIELD, withAvro ? TYPE_WITH_AVRO : TYPE, false, DEFAULT,
            withAvro ? DESCRIPTION_WITH_AVRO : DESCRIPTION);
    }

    /**
     * The codec the config names, {@code null} for {@code avro} (the caller reads its schema) and for the default.
     *
     * @param avroSchema whether the config has an Avro schema; {@code null} when the plugin takes none
     */
    public static ValueCodec read(final ConfigReader config, final Boolean avroSchema) {
        final String format = config.string(FIELD, null);
        final boolean withAvro = avroSchema != null;
        if (format == null) {
            return null;
        }
        final List<String> allowed = withAvro ? ValueCodecs.FORMATS
            : ValueCodecs.FORMATS.stream().filter(name -> !AVRO.equals(name)).toList();
        if (!allowed.contains(format)) {
            config.problem(FIELD, "'" + format + "' is not one of " + formats(withAvro));
            return null;
        }
        if (withAvro && avroSchema != AVRO.equals(format)) {
            config.problem(FIELD, avroSchema ? "avroSchema is for valueFormat avro (leave valueFormat out)"
                : "avro needs the schema: set avroSchema or avroSchemaFile");
            return null;
        }
        return AVRO.equals(format) ? null : ValueCodecs.named(format);
    }

    private static String formats(final boolean withAvro) {
        return String.join(", ", withAvro ? ValueCodecs.FORMATS
            : ValueCodecs.FORMATS.stream().filter(name -> !AVRO.equals(name)).toList());
    }
}

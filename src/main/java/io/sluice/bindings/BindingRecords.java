package io.sluice.bindings;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.avro.AvroCodec;
import io.sluice.avro.AvroDecodingException;
import io.sluice.avro.BindingKey;
import io.sluice.avro.BindingValue;
import io.sluice.avro.OnErrorAction;
import io.sluice.avro.SchemaCatalog;
import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.OnError;

/**
 * The config topic mapping: a binding is one record, key {@link BindingKey} (its identity), value
 * {@link BindingValue}, both Avro single-object encoded ({@link AvroCodec}); a {@code null} value deletes.
 * Decoding judges a record by the rules {@code bindings apply} uses ({@link BindingValidator}, plugin config
 * included), so a record written by another tool cannot smuggle in what a file could not.
 */
public final class BindingRecords {

    private static final AvroCodec<BindingKey> KEYS = AvroCodec.of(BindingKey.class);
    private static final AvroCodec<BindingValue> VALUES = AvroCodec.of(BindingValue.class);

    private final BindingValidator validator;
    private final AvroCodec<BindingKey> keys;
    private final AvroCodec<BindingValue> values;

    public BindingRecords(final PluginRegistry plugins) {
        this(plugins, SchemaCatalog.standard());
    }

    /** Decodes with the schema versions of {@code catalog}, e.g. the standard one plus another tool's. */
    public BindingRecords(final PluginRegistry plugins, final SchemaCatalog catalog) {
        this.validator = new BindingValidator(plugins);
        this.keys = AvroCodec.of(BindingKey.class, catalog);
        this.values = AvroCodec.of(BindingValue.class, catalog);
    }

    /** The record key of an identity. Deterministic: the same identity always gives the same bytes. */
    public static byte[] key(final BindingId id) {
        return KEYS.encode(toKey(id));
    }

    /** The record value of a binding. */
    public static byte[] value(final Binding binding, final Provenance provenance) {
        return VALUES.encode(toValue(binding, provenance));
    }

    public static BindingKey toKey(final BindingId id) {
        return new BindingKey(id.name(), id.scope().vcluster(), id.scope().group(), id.scope().username());
    }

    public static BindingValue toValue(final Binding binding, final Provenance provenance) {
        return BindingValue.newBuilder()
            .setPlugin(binding.plugin())
            .setPriority(binding.priority())
            .setTopics(binding.topics() == null ? null : binding.topicsText())
            .setOnError(binding.onError() == null ? null : OnErrorAction.valueOf(binding.onError().name()))
            .setConfig(Json.line(binding.config()))
            .setAppliedBy(provenance.appliedBy())
            .setAppliedAt(provenance.appliedAt())
            .setSource(provenance.source())
            .build();
    }

    /**
     * Decodes and validates one config record. Never throws on bad input: unreadable or invalid records come
     * back as {@link ConfigRecord.Invalid} with the reason.
     *
     * @param origin where the record is, for messages, e.g. {@code _sluice_bindings-0@42}
     * @param key    the key bytes
     * @param value  the value bytes, or {@code null} for a tombstone
     */
    public ConfigRecord decode(final String origin, final byte[] key, final byte[] value) {
        if (key == null) {
            return new ConfigRecord.Invalid(null, List.of(new Problem(origin, "key", "is missing: a binding record needs its identity as key")));
        }
        final BindingId id;
        try {
            id = toId(keys.decode(key));
        } catch (final AvroDecodingException e) {
            return new ConfigRecord.Invalid(null, List.of(new Problem(origin, "key", e.getMessage())));
        }
        if (value == null) {
            return new ConfigRecord.Tombstone(id);
        }
        final BindingValue decoded;
        try {
            decoded = values.decode(value);
        } catch (final AvroDecodingException e) {
            final JsonNode named = Json.object().set("metadata", Json.object().put("name", id.name()));
            return new ConfigRecord.Invalid(id, List.of(new Problem(BindingValidator.source(origin, named), "value", e.getMessage())));
        }
        return validate(origin, id, decoded);
    }

    private ConfigRecord validate(final String origin, final BindingId id, final BindingValue value) {
        final ObjectNode resource = resource(id, value);
        final List<Problem> problems = new ArrayList<>();
        final ParsedConfig config = ParsedConfig.of(value.getConfig());
        if (config.node() == null) {
            problems.add(new Problem(BindingValidator.source(origin, resource), "spec.config", config.error()));
        } else {
            ((ObjectNode) resource.get("spec")).set("config", config.node());
        }
        // Without a readable config only the rest is judged: an empty config would draw misleading problems.
        final BindingValidator.Validated validated = validator.validate(origin, resource, config.node() != null);
        problems.addAll(validated.problems());
        if (!problems.isEmpty()) {
            return new ConfigRecord.Invalid(id, problems);
        }
        return new ConfigRecord.Valid(validated.binding(),
            new Provenance(value.getAppliedBy(), value.getAppliedAt(), value.getSource()));
    }

    /** The record as the resource a file would hold: the neutral form {@link BindingValidator} judges. */
    static ObjectNode resource(final BindingId id, final BindingValue value) {
        final ObjectNode resource = Json.object();
        resource.put("apiVersion", BindingValidator.API_VERSION);
        resource.put("kind", BindingValidator.KIND);
        final ObjectNode metadata = resource.putObject("metadata");
        metadata.put("name", id.name());
        final ObjectNode scope = metadata.putObject("scope");
        putIfSet(scope, "vcluster", id.scope().vcluster());
        putIfSet(scope, "group", id.scope().group());
        putIfSet(scope, "username", id.scope().username());
        final ObjectNode spec = resource.putObject("spec");
        spec.put("plugin", value.getPlugin());
        spec.put("priority", value.getPriority());
        putIfSet(spec, "topics", value.getTopics());
        putIfSet(spec, "onError", value.getOnError() == null ? null : OnError.valueOf(value.getOnError().name()).label());
        return resource;
    }

    private static BindingId toId(final BindingKey key) {
        return new BindingId(key.getName(), new BindingScope(key.getVcluster(), key.getGroup(), key.getUsername()));
    }

    /** A config text parsed, or why it could not be: where the JSON breaks, never what it says. */
    private record ParsedConfig(JsonNode node, String error) {

        static ParsedConfig of(final String text) {
            try {
                final JsonNode node = Json.parse(text);
                return node == null || node.isMissingNode() ? new ParsedConfig(null, "is empty, not a JSON text") : new ParsedConfig(node, null);
            } catch (final JsonProcessingException e) {
                final JsonLocation at = e.getLocation();
                return new ParsedConfig(null, "is not a JSON text"
                    + (at == null ? "" : " (broken at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            }
        }
    }

    private static void putIfSet(final ObjectNode node, final String field, final String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

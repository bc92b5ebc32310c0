package io.sluice.avro;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every schema version Sluice ever wrote, by CRC-64-AVRO fingerprint: the current schemas of the generated
 * classes plus the older versions in {@code schemas/history/} (shipped as class path resources, listed in its
 * {@code INDEX}). A reader looks up the writer schema of a record here and resolves it to its own.
 * Immutable and thread-safe.
 */
public final class SchemaCatalog implements SchemaStore {

    /** The schemas of the records we write today. */
    static final List<Schema> CURRENT = List.of(
        BindingKey.getClassSchema(), BindingValue.getClassSchema(), AckEvent.getClassSchema(),
        AckEventBatch.getClassSchema(), CommitEvent.getClassSchema());

    private static final String HISTORY = "/io/sluice/avro/history/";

    private static final class Standard {
        static final SchemaCatalog INSTANCE = new SchemaCatalog(List.of()).with(CURRENT).with(history());
    }

    private final Map<Long, Schema> byFingerprint;

    private SchemaCatalog(final Collection<Schema> schemas) {
        final Map<Long, Schema> map = new LinkedHashMap<>();
        schemas.forEach(schema -> map.put(fingerprint(schema), schema));
        this.byFingerprint = Map.copyOf(map);
    }

    /** The current schemas and every version in {@code schemas/history/}. */
    public static SchemaCatalog standard() {
        return Standard.INSTANCE;
    }

    /** This catalog plus more writer schemas, e.g. of another tool's versions (or a test's). */
    public SchemaCatalog with(final Collection<Schema> schemas) {
        final List<Schema> all = new ArrayList<>(byFingerprint.values());
        all.addAll(schemas);
        return new SchemaCatalog(all);
    }

    /** The writer schema with that fingerprint, or {@code null} when no version we know has it. */
    @Override
    public Schema findByFingerprint(final long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** Every schema this catalog knows, by fingerprint. */
    public Map<Long, Schema> schemas() {
        return byFingerprint;
    }

    /** The CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form, as single-object encoding uses it. */
    public static long fingerprint(final Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The history files named in {@code INDEX}; each is self-contained, so each gets its own parser. */
    static List<Schema> history() {
        final List<Schema> schemas = new ArrayList<>();
        for (final String file : historyFiles()) {
            try (InputStream in = SchemaCatalog.class.getResourceAsStream(HISTORY + file)) {
                if (in == null) {
                    throw new IllegalStateException("schemas/history/INDEX names " + file + ", which is not in the build");
                }
                schemas.add(new Schema.Parser().parse(in));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read the schema history file " + file, e);
            }
        }
        return schemas;
    }

    static List<String> historyFiles() {
        try (InputStream in = SchemaCatalog.class.getResourceAsStream(HISTORY + "INDEX")) {
            if (in == null) {
                return List.of();
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read schemas/history/INDEX", e);
        }
    }
}

package io.sluice.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/** The rules of schemas/README.md, checked against the files in the repository. */
class SchemaCatalogTest {

    private static final Path SCHEMAS = Path.of("schemas");

    @Test
    void knowsEveryCurrentSchema() {
        for (final Schema schema : SchemaCatalog.CURRENT) {
            assertEquals(schema, SchemaCatalog.standard().findByFingerprint(SchemaCatalog.fingerprint(schema)), schema.getFullName());
        }
    }

    @Test
    void canStillReadEverySchemaVersionWeShipped() throws IOException {
        // given
        final List<String[]> shipped = Files.readAllLines(SCHEMAS.resolve("shipped-fingerprints.txt")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .map(line -> line.split("\\s+"))
            .toList();

        // then
        for (final String[] line : shipped) {
            final Schema schema = SchemaCatalog.standard().findByFingerprint(fingerprint(line[0]));
            assertNotNull(schema, line[1] + " " + line[0] + " was shipped but is no longer readable: copy that version into"
                + " schemas/history/ and list it in schemas/history/INDEX (see schemas/README.md)");
            assertEquals(line[1], schema.getFullName());
        }
        final String unlisted = SchemaCatalog.CURRENT.stream()
            .map(schema -> AvroCodec.hex(SchemaCatalog.fingerprint(schema)) + " " + schema.getFullName())
            .filter(line -> shipped.stream().noneMatch(listed -> line.startsWith(listed[0] + " ")))
            .collect(Collectors.joining("\n"));
        assertEquals("", unlisted, "add these lines to schemas/shipped-fingerprints.txt");
    }

    @Test
    void historyIndexListsExactlyTheHistoryFiles() throws IOException {
        // given
        final Set<String> files;
        try (Stream<Path> list = Files.list(SCHEMAS.resolve("history"))) {
            files = list.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".avsc")).collect(Collectors.toSet());
        }

        // then
        assertNotNull(SchemaCatalog.class.getResource("/io/sluice/avro/history/INDEX"), "the pom ships schemas/history");
        assertEquals(files, Set.copyOf(SchemaCatalog.historyFiles()));
        assertEquals(files.size(), SchemaCatalog.history().size());
    }

    @Test
    void everyHistoricalVersionResolvesToTheCurrentOne() {
        for (final Schema old : SchemaCatalog.history()) {
            final Schema current = SchemaCatalog.CURRENT.stream()
                .filter(schema -> schema.getFullName().equals(old.getFullName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(old.getFullName() + " in history has no current version"));
            assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType(), old.getFullName());
        }
    }

    private static long fingerprint(final String hex) {
        final byte[] bytes = HexFormat.of().parseHex(hex);
        long fingerprint = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL);
        }
        return fingerprint;
    }
}

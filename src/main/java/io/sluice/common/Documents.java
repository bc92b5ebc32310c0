package io.sluice.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The one reader of YAML and JSON resource files: binding resources and topology files.
 * A file may hold many documents ({@code ---} in YAML; concatenated objects or a top-level array in JSON).
 * Empty YAML documents (a leading or trailing {@code ---}, a document of comments only) and explicit nulls are
 * skipped, as {@code kubectl} skips them, but keep their place in the numbering: documents are numbered as YAML
 * counts them, each {@code ---} starting the next one except a {@code ---} that opens the file (with only comments
 * before it), which starts the first.
 * A folder is read file by file ({@code .yaml}, {@code .yml}, {@code .json}, recursively, in name order).
 */
public final class Documents {

    /** What was read, and what could not be. */
    public record ReadResult(List<Document> documents, List<Problem> problems) {
    }

    private Documents() {
    }

    public static ReadResult read(final Path fileOrFolder) {
        final List<Document> documents = new ArrayList<>();
        final List<Problem> problems = new ArrayList<>();
        if (!Files.exists(fileOrFolder)) {
            problems.add(new Problem(fileOrFolder.toString(), null, "no such file or folder"));
        } else if (Files.isDirectory(fileOrFolder)) {
            final List<Path> files = resourceFiles(fileOrFolder, problems);
            if (files.isEmpty() && problems.isEmpty()) {
                problems.add(new Problem(fileOrFolder.toString(), null, "no .yaml, .yml or .json files in this folder"));
            }
            files.forEach(file -> readFile(file, documents, problems));
        } else {
            readFile(fileOrFolder, documents, problems);
        }
        return new ReadResult(List.copyOf(documents), List.copyOf(problems));
    }

    private static List<Path> resourceFiles(final Path folder, final List<Problem> problems) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                .filter(Documents::isResourceFile)
                .sorted(Comparator.comparing(Path::toString))
                .toList();
        } catch (final IOException e) {
            problems.add(new Problem(folder.toString(), null, "cannot read folder: " + e.getMessage()));
            return List.of();
        }
    }

    private static boolean isResourceFile(final Path file) {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static void readFile(final Path file, final List<Document> documents, final List<Problem> problems) {
        final boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        final ObjectMapper mapper = json ? Json.MAPPER : Json.YAML;
        // One document at a time: the next one is not a trailing token of this one.
        final ObjectReader reader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        int index = 0;
        try (JsonParser parser = mapper.createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                if (json && parser.currentToken() == JsonToken.START_ARRAY) {
                    final JsonNode array = reader.readTree(parser);
                    for (final JsonNode element : array) {
                        documents.add(new Document(file, ++index, element));
                    }
                    continue;
                }
                // Every document keeps its place in the numbering, so file#3 is the third one even when #2 is empty.
                index++;
                if (!json && isEmptyDocument(parser)) {
                    continue;
                }
                final JsonNode value = reader.readTree(parser);
                // An explicit null (~) is skipped too, as kubectl skips it.
                if (value != null && !value.isMissingNode() && !value.isNull()) {
                    documents.add(new Document(file, index, value));
                }
            }
        } catch (final JsonProcessingException e) {
            problems.add(new Problem(file + at(e.getLocation()), null, "not valid " + (json ? "JSON" : "YAML")
                + ": " + e.getOriginalMessage().lines().findFirst().orElse("")));
        } catch (final IOException e) {
            problems.add(new Problem(file.toString(), null, "cannot read file: " + e.getMessage()));
        }
    }

    /**
     * A YAML document with nothing in it (only comments, or a leading, trailing or doubled {@code ---}) reaches us
     * as an empty string that takes no room in the file; a quoted {@code ''} the user wrote takes two characters.
     */
    private static boolean isEmptyDocument(final JsonParser parser) throws IOException {
        return parser.currentToken() == JsonToken.VALUE_STRING
            && parser.getTextLength() == 0
            && parser.currentTokenLocation().getCharOffset() == parser.currentLocation().getCharOffset();
    }

    private static String at(final JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }
}

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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one reader of YAML and JSON resource files: binding resources and topology files.
 * A file may hold many documents ({@code ---} in YAML; concatenated objects or a top-level array in JSON).
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
        int index = 0;
        try (JsonParser parser = mapper.createParser(file.toFile());
             MappingIterator<JsonNode> values = mapper.readValues(parser, JsonNode.class)) {
            while (values.hasNextValue()) {
                final JsonNode value = values.nextValue();
                if (json && value != null && value.isArray()) {
                    for (final JsonNode element : value) {
                        documents.add(new Document(file, ++index, element));
                    }
                    continue;
                }
                index++;
                // An empty YAML document (e.g. a trailing ---) is not a resource.
                if (value != null && !value.isMissingNode() && !value.isNull()) {
                    documents.add(new Document(file, index, value));
                }
            }
        } catch (final JsonProcessingException e) {
            problems.add(new Problem(file + at(e.getLocation()), null, "not valid " + (json ? "JSON" : "YAML")
                + ": " + e.getOriginalMessage().lines().findFirst().orElse("")));
        } catch (final IOException e) {
            problems.add(new Problem(file.toString(), null, "cannot read file: " + e.getMessage()));
        } catch (final RuntimeException e) {
            // Jackson wraps parse errors met while iterating in RuntimeJsonMappingException.
            final Throwable cause = e.getCause() instanceof JsonProcessingException p ? p : e;
            final String message = cause instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            final JsonLocation location = cause instanceof JsonProcessingException p ? p.getLocation() : null;
            problems.add(new Problem(file + at(location), null, "not valid " + (json ? "JSON" : "YAML") + ": "
                + String.valueOf(message).lines().findFirst().orElse("")));
        }
    }

    private static String at(final JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr();
    }
}

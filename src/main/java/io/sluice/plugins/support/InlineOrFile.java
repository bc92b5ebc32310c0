package io.sluice.plugins.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;

/** A document (a schema) given inline in a config, as an object or a string, or by a file path. */
public final class InlineOrFile {

    private InlineOrFile() {
    }

    /**
     * The document's text, recording problems on the reader.
     *
     * @return the text, or {@code null} when neither field is set or the document cannot be read
     */
    public static String read(final ConfigReader config, final String inlineField, final String fileField,
                              final boolean required) {
        final JsonNode inline = config.node(inlineField);
        final String file = config.string(fileField, null);
        if (inline != null && file != null) {
            config.problem(inlineField, "set " + inlineField + " or " + fileField + ", not both");
            return null;
        }
        if (inline != null) {
            if (inline.isTextual()) {
                return inline.textValue();
            }
            if (inline.isObject()) {
                return Json.line(inline);
            }
            config.problem(inlineField, "must be an object or a string holding one, not a " + inline.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return null;
        }
        if (file != null) {
            return readFile(config, fileField, file);
        }
        if (required && !config.has(fileField)) {
            config.problem(inlineField, "is required (or " + fileField + ")");
        }
        return null;
    }

    private static String readFile(final ConfigReader config, final String field, final String file) {
        try {
            final Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                config.problem(field, "'" + file + "' is a folder, not a file");
                return null;
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (final InvalidPathException e) {
            config.problem(field, "'" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
        } catch (final NoSuchFileException e) {
            config.problem(field, "cannot read '" + file + "': no such file");
        } catch (final java.nio.charset.CharacterCodingException e) {
            config.problem(field, "'" + file + "' is not UTF-8 text");
        } catch (final IOException | SecurityException e) {
            config.problem(field, "cannot read '" + file + "': " + e.getClass().getSimpleName());
        }
        return null;
    }
}

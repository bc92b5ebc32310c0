package io.sluice.plugins.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;

/**
 * A document (a schema) given inline in a config, as an object or a string, or by a file path. An inline document is
 * checked when the binding is validated; a file lives on the instances and is read when one creates the interceptor.
 */
public final class InlineOrFile {

    private InlineOrFile() {
    }

    /**
     * What the config gives.
     *
     * @param field  the field that gave it
     * @param inline the inline document's text, or {@code null}
     * @param file   the file, or {@code null}
     */
    public record Source(String field, String inline, String file) {

        /**
         * The document's text: the inline one, or the file's content read now.
         *
         * @throws IllegalArgumentException {@code field: why}
         */
        public String load() {
            return inline != null ? inline : readFile(field, file);
        }
    }

    /**
     * Checks the two fields, recording problems on the reader.
     *
     * @return where the document comes from, or {@code null} when neither field is (validly) set
     */
    public static Source read(final ConfigReader config, final String inlineField, final String fileField,
                              final boolean required) {
        final JsonNode inline = config.node(inlineField);
        final String file = config.string(fileField, null);
        if (inline != null && file != null) {
            config.problem(inlineField, "set " + inlineField + " or " + fileField + ", not both");
            return null;
        }
        if (inline != null) {
            if (inline.isTextual()) {
                return new Source(inlineField, inline.textValue(), null);
            }
            if (inline.isObject()) {
                return new Source(inlineField, Json.line(inline), null);
            }
            config.problem(inlineField, "must be an object or a string holding one, not a " + inline.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return null;
        }
        if (file != null) {
            return validPath(config, fileField, file) ? new Source(fileField, null, file) : null;
        }
        if (required && !config.has(fileField)) {
            config.problem(inlineField, "is required (or " + fileField + ")");
        }
        return null;
    }

    private static String readFile(final String field, final String file) {
        try {
            final Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw Secret.problem(field, "'" + file + "' is a folder, not a file");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (final InvalidPathException e) {
            // checked when the binding is read (validPath); here for a source made otherwise
            throw Secret.problem(field, "'" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
        } catch (final NoSuchFileException e) {
            throw Secret.problem(field, "cannot read '" + file + "': no such file");
        } catch (final java.nio.charset.CharacterCodingException e) {
            throw Secret.problem(field, "'" + file + "' is not UTF-8 text");
        } catch (final IOException | SecurityException e) {
            throw Secret.problem(field, "cannot read '" + file + "': " + e.getClass().getSimpleName());
        }
    }

    /**
     * Whether {@code file} is a path at all (a NUL, say, makes it none): shape, checked when the binding is read
     * without touching the file system; a problem on {@code field} when not.
     */
    static boolean validPath(final ConfigReader config, final String field, final String file) {
        try {
            Path.of(file);
            return true;
        } catch (final InvalidPathException e) {
            config.problem(field, "'" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
            return false;
        }
    }
}

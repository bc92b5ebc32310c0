package io.sluice.plugins.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A secret (a key, a salt) read from a file or an environment variable that a plugin config names, never from
 * the config itself: configs are published to the config topic and listed by {@code bindings list}.
 *
 * <p>Two steps: {@link #source} checks what the config says (validation: no file is read, so a binding is valid or not
 * whatever machine reads it); {@link Source#load} reads the secret on the instance that creates the interceptor.
 * Messages name the config field and the file or variable, never the content; {@link #toString()} never shows the
 * content either.
 */
public final class Secret {

    private final String field;
    private final byte[] content;

    private Secret(final String field, final byte[] content) {
        this.field = field;
        this.content = content;
    }

    /**
     * Where a secret comes from, as the config says: a file or an environment variable.
     *
     * @param field    the config field that names it ({@code keyFile} or {@code keyEnv})
     * @param file     the file, or {@code null}
     * @param variable the environment variable, or {@code null}
     */
    public record Source(String field, String file, String variable) {

        /**
         * Reads the secret on this instance.
         *
         * @param environment the process environment ({@code System::getenv}; tests pass their own)
         * @throws IllegalArgumentException {@code field: why}, e.g. {@code keyFile: cannot read '/k': no such file}
         */
        public Secret load(final Function<String, String> environment) {
            return file != null ? fromFile(field, file) : fromEnvironment(field, variable, environment);
        }
    }

    /**
     * Checks the fields {@code fileField} and {@code envField}, recording every problem on the reader.
     *
     * @param inlineField the field a user might wrongly put the secret itself in; setting it is a problem
     * @param required    whether one of the two fields must be set
     * @return where the secret comes from, or {@code null} when neither field is (validly) set
     */
    public static Source source(final ConfigReader config, final String fileField, final String envField,
                                final String inlineField, final boolean required) {
        if (config.has(inlineField)) {
            config.problem(inlineField, "must not be set: a secret in a binding is published to the config topic;"
                + " put it in a file (" + fileField + ") or an environment variable (" + envField + ")");
        }
        final String file = config.string(fileField, null);
        final String variable = config.string(envField, null);
        if (file != null && variable != null) {
            config.problem(fileField, "set " + fileField + " or " + envField + ", not both");
            return null;
        }
        if (file != null) {
            return InlineOrFile.validPath(config, fileField, file) ? new Source(fileField, file, null) : null;
        }
        if (variable != null) {
            return new Source(envField, null, variable);
        }
        if (required && !config.has(fileField) && !config.has(envField)) {
            config.problem(fileField, "is required (or " + envField + ")");
        }
        return null;
    }

    private static Secret fromFile(final String field, final String file) {
        final Path path;
        try {
            path = Path.of(file);
        } catch (final InvalidPathException e) {
            // checked when the binding is read (source); here for a source made otherwise
            throw problem(field, "'" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
        }
        try {
            if (Files.isDirectory(path)) {
                throw problem(field, "'" + file + "' is a folder, not a file");
            }
            return nonEmpty(field, "file '" + file + "'", Files.readAllBytes(path));
        } catch (final NoSuchFileException e) {
            throw problem(field, "cannot read '" + file + "': no such file");
        } catch (final AccessDeniedException e) {
            throw problem(field, "cannot read '" + file + "': permission denied");
        } catch (final IOException | SecurityException e) {
            throw problem(field, "cannot read '" + file + "': " + e.getClass().getSimpleName());
        }
    }

    private static Secret fromEnvironment(final String field, final String variable,
                                          final Function<String, String> environment) {
        final String value = environment.apply(variable);
        if (value == null) {
            throw problem(field, "the environment variable '" + variable + "' is not set");
        }
        return nonEmpty(field, "the environment variable '" + variable + "'", value.getBytes(StandardCharsets.UTF_8));
    }

    private static Secret nonEmpty(final String field, final String source, final byte[] raw) {
        final String text = new String(raw, StandardCharsets.UTF_8).strip();
        Arrays.fill(raw, (byte) 0);
        if (text.isEmpty()) {
            throw problem(field, source + " is empty");
        }
        return new Secret(field, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A problem with a secret found on the instance: {@code field: why}. */
    public static IllegalArgumentException problem(final String field, final String message) {
        return new IllegalArgumentException(field + ": " + message);
    }

    /** The config field the secret was read through ({@code keyFile} or {@code keyEnv}), for problems. */
    public String field() {
        return field;
    }

    /** The content as UTF-8 bytes; the caller should {@link #destroy} the secret once it has derived what it needs. */
    public byte[] bytes() {
        return content;
    }

    /** Overwrites the content held here. */
    public void destroy() {
        Arrays.fill(content, (byte) 0);
    }

    @Override
    public String toString() {
        return "Secret[" + field + ", content hidden]";
    }
}

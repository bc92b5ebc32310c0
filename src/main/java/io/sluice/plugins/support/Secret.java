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
 * <p>Problems name the config field and the file or variable, never the content. {@link #toString()} never
 * shows the content either.
 */
public final class Secret {

    private final String field;
    private final byte[] content;

    private Secret(final String field, final byte[] content) {
        this.field = field;
        this.content = content;
    }

    /**
     * Reads the secret that {@code fileField} or {@code envField} names, recording every problem on the reader.
     *
     * @param inlineField the field a user might wrongly put the secret itself in; setting it is a problem
     * @param required    whether one of the two fields must be set
     * @param environment the process environment ({@code System::getenv}; tests pass their own)
     * @return the content with surrounding white space removed, or {@code null} when absent or unreadable
     */
    public static Secret read(final ConfigReader config, final String fileField, final String envField,
                              final String inlineField, final boolean required,
                              final Function<String, String> environment) {
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
            return fromFile(config, fileField, file);
        }
        if (variable != null) {
            return fromEnvironment(config, envField, variable, environment);
        }
        if (required && !config.has(fileField) && !config.has(envField)) {
            config.problem(fileField, "is required (or " + envField + ")");
        }
        return null;
    }

    private static Secret fromFile(final ConfigReader config, final String field, final String file) {
        final Path path;
        try {
            path = Path.of(file);
        } catch (final InvalidPathException e) {
            config.problem(field, "'" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
            return null;
        }
        try {
            if (Files.isDirectory(path)) {
                config.problem(field, "'" + file + "' is a folder, not a file");
                return null;
            }
            return nonEmpty(config, field, "file '" + file + "'", Files.readAllBytes(path));
        } catch (final NoSuchFileException e) {
            config.problem(field, "cannot read '" + file + "': no such file");
        } catch (final AccessDeniedException e) {
            config.problem(field, "cannot read '" + file + "': permission denied");
        } catch (final IOException | SecurityException e) {
            config.problem(field, "cannot read '" + file + "': " + e.getClass().getSimpleName());
        }
        return null;
    }

    private static Secret fromEnvironment(final ConfigReader config, final String field, final String variable,
                                          final Function<String, String> environment) {
        final String value = environment.apply(variable);
        if (value == null) {
            config.problem(field, "the environment variable '" + variable + "' is not set");
            return null;
        }
        return nonEmpty(config, field, "the environment variable '" + variable + "'", value.getBytes(StandardCharsets.UTF_8));
    }

    private static Secret nonEmpty(final ConfigReader config, final String field, final String source, final byte[] raw) {
        final String text = new String(raw, StandardCharsets.UTF_8).strip();
        Arrays.fill(raw, (byte) 0);
        if (text.isEmpty()) {
            config.problem(field, source + " is empty");
            return null;
        }
        return new Secret(field, text.getBytes(StandardCharsets.UTF_8));
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

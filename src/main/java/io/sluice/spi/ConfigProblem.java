package io.sluice.spi;

/**
 * One thing wrong with a plugin config, found before the binding is published.
 *
 * @param field   the config field in dot notation, relative to {@code spec.config} (e.g. {@code headers.x-id},
 *                {@code fields[0].path}); empty when the config as a whole is at fault
 * @param message what is wrong, for a person
 */
public record ConfigProblem(String field, String message) {
}

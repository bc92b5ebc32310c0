package io.sluice.common;

/**
 * Something wrong with input a user gave (a file, a resource, a config record, a header), as a value.
 *
 * @param source  where: a file, {@code file#index (name)}, a topic coordinate ...
 * @param field   the field in dot notation, or {@code null} when the whole source is at fault
 * @param message what is wrong
 */
public record Problem(String source, String field, String message) {

    /** One line: {@code source: field: message}. */
    @Override
    public String toString() {
        return field == null ? source + ": " + message : source + ": " + field + ": " + message;
    }
}

package io.sluice.spi;

/**
 * Documentation of one config field, as {@code sluice plugins} lists it.
 *
 * @param name         the field name; a dotted path ({@code auth.password}) for a field inside an object
 * @param type         a short type description, e.g. {@code map<string,string>}
 * @param required     whether the field must be set
 * @param defaultValue the default, or {@code null}
 * @param description  what the field does
 * @param secret       whether the field's value is secret: {@code bindings diff} and {@code bindings list} show it
 *                     as {@code <redacted>} (and everything under it, for an object)
 */
public record ConfigField(String name, String type, boolean required, String defaultValue, String description,
                          boolean secret) {

    /** A field whose value is not secret. */
    public ConfigField(final String name, final String type, final boolean required, final String defaultValue,
                       final String description) {
        this(name, type, required, defaultValue, description, false);
    }
}

package io.sluice.spi;

/**
 * Documentation of one config field, as {@code sluice plugins} lists it.
 *
 * @param name         the field name
 * @param type         a short type description, e.g. {@code map<string,string>}
 * @param required     whether the field must be set
 * @param defaultValue the default, or {@code null}
 * @param description  what the field does
 */
public record ConfigField(String name, String type, boolean required, String defaultValue, String description) {
}

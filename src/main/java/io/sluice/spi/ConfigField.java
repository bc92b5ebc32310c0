package io.sluice.spi;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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

    /** The fields of a config record: its {@link ConfigDoc}-annotated components, in declaration order. */
    public static List<ConfigField> of(final Class<? extends Record> config) {
        final List<ConfigField> fields = new ArrayList<>();
        for (final RecordComponent component : config.getRecordComponents()) {
            final ConfigDoc doc = component.getAnnotation(ConfigDoc.class);
            if (doc != null) {
                fields.add(new ConfigField(doc.name().isEmpty() ? component.getName() : doc.name(),
                    doc.type().isEmpty() ? typeName(component.getGenericType()) : doc.type(), doc.required(),
                    doc.defaultValue().isEmpty() ? null : doc.defaultValue(), doc.value(), doc.secret()));
            }
        }
        return List.copyOf(fields);
    }

    private static String typeName(final Type type) {
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            final Type[] arguments = generic.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return "list<" + typeName(arguments[0]) + ">";
            }
            if (Map.class.isAssignableFrom(raw)) {
                return "map<" + typeName(arguments[0]) + "," + typeName(arguments[1]) + ">";
            }
            return typeName(raw);
        }
        if (type instanceof Class<?> plain) {
            if (plain == String.class || plain == Character.class || plain == char.class) {
                return "string";
            }
            if (plain == boolean.class || plain == Boolean.class) {
                return "boolean";
            }
            if (plain == int.class || plain == long.class || plain == Integer.class || plain == Long.class) {
                return "integer";
            }
            if (plain == double.class || plain == float.class || Number.class.isAssignableFrom(plain)) {
                return "number";
            }
            if (plain.isEnum()) {
                final StringBuilder names = new StringBuilder();
                for (final Object constant : plain.getEnumConstants()) {
                    names.append(names.length() == 0 ? "" : " | ").append(((Enum<?>) constant).name());
                }
                return names.toString();
            }
            return plain.getSimpleName();
        }
        return type.getTypeName();
    }
}

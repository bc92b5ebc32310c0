package io.sluice.plugins.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.sluice.spi.ConfigProblem;
import io.sluice.spi.ParsedConfig;

/**
 * Reads a plugin config ({@code spec.config}) into typed values and collects every problem, each naming its
 * field relative to the config. A plugin reads all its fields, then asks for {@link #problems()}: the user
 * sees every mistake at once, not the first one. Fields the plugin did not read are reported as unknown, so a
 * typo such as {@code overwirte} is not silently ignored.
 *
 * <p>A reader checks the config's shape only: it never reads files or the environment ({@link Secret} and
 * {@link InlineOrFile} record where such things come from; the instance reads them when it creates the interceptor).
 *
 * <p>Readers return a neutral value (null, false, an empty list) after recording a problem, so a config
 * record can still be built; {@link #orThrow} keeps invalid configs from reaching {@code create}.
 */
public final class ConfigReader {

    private final JsonNode node;
    private final String prefix;
    private final List<ConfigProblem> problems;
    private final Set<String> known = new LinkedHashSet<>();

    private ConfigReader(final JsonNode node, final String prefix, final List<ConfigProblem> problems) {
        this.node = node;
        this.prefix = prefix;
        this.problems = problems;
    }

    /** A reader of a binding's whole {@code spec.config}; a missing or null config reads as empty. */
    public static ConfigReader of(final JsonNode config) {
        final List<ConfigProblem> problems = new ArrayList<>();
        if (config == null || config.isMissingNode() || config.isNull()) {
            return new ConfigReader(JsonNodeFactory.instance.objectNode(), "", problems);
        }
        if (!config.isObject()) {
            problems.add(new ConfigProblem("", "must be an object, not " + describe(config)));
            return new ConfigReader(JsonNodeFactory.instance.objectNode(), "", problems);
        }
        return new ConfigReader(config, "", problems);
    }

    /** The full name of a field of this reader, e.g. {@code fields[0].path}. */
    public String field(final String name) {
        return prefix + name;
    }

    public boolean has(final String name) {
        known.add(name);
        final JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    /** Records a problem with a field of this reader. */
    public void problem(final String name, final String message) {
        problems.add(new ConfigProblem(field(name), message));
    }

    /** Records a problem with a field given by its full name (e.g. {@code headers.x-id}). */
    public void problemAt(final String fullField, final String message) {
        problems.add(new ConfigProblem(fullField, message));
    }

    /** A raw field, or {@code null} when absent or null. */
    public JsonNode node(final String name) {
        known.add(name);
        final JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** A string, or {@code fallback} when absent. A blank string is a problem. */
    public String string(final String name, final String fallback) {
        final JsonNode value = node(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            problem(name, "must be a string, not " + describe(value));
            return fallback;
        }
        if (value.asText().isBlank()) {
            problem(name, "must not be blank");
            return fallback;
        }
        return value.asText();
    }

    /** A string that must be set. */
    public String requiredString(final String name) {
        if (node(name) == null) {
            problem(name, "is required");
            return null;
        }
        return string(name, null);
    }

    public boolean bool(final String name, final boolean fallback) {
        final JsonNode value = node(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problem(name, "must be true or false, not " + describe(value));
            return fallback;
        }
        return value.booleanValue();
    }

    /** A whole number in [{@code min}, {@code max}], or {@code fallback} when absent. */
    public Long integer(final String name, final long min, final long max, final Long fallback) {
        final JsonNode value = node(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(name, "must be a whole number, not " + describe(value));
            return fallback;
        }
        final long number = value.longValue();
        if (number < min || number > max) {
            problem(name, "must be between " + min + " and " + max + ", not " + number);
            return fallback;
        }
        return number;
    }

    /** A number in [{@code min}, {@code max}], or {@code fallback} when absent. */
    public Double decimal(final String name, final double min, final double max, final Double fallback) {
        final JsonNode value = node(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            problem(name, "must be a number, not " + describe(value));
            return fallback;
        }
        final double number = value.doubleValue();
        if (!(number >= min && number <= max)) {
            problem(name, "must be between " + plain(min) + " and " + plain(max) + ", not " + value.asText());
            return fallback;
        }
        return number;
    }

    /** One of an enum's constants, written in any case; {@code fallback} when absent. */
    public <E extends Enum<E>> E choice(final String name, final Class<E> type, final E fallback) {
        final String text = string(name, null);
        if (text == null) {
            return fallback;
        }
        for (final E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        problem(name, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
            .collect(Collectors.joining(", ")) + ", not '" + text + "'");
        return fallback;
    }

    /** A list of non-blank strings; empty when absent. */
    public List<String> stringList(final String name) {
        return stringList(name, Function.identity());
    }

    /**
     * A list of non-blank strings, each parsed by {@code parse}; empty when absent. An element that
     * {@code parse} rejects with an {@link IllegalArgumentException} is a problem on {@code name[i]}.
     */
    public <T> List<T> stringList(final String name, final Function<String, T> parse) {
        final JsonNode value = node(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problem(name, "must be a list of strings, not " + describe(value));
            return List.of();
        }
        final List<T> parsed = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            final JsonNode element = value.get(i);
            final String elementField = field(name) + "[" + i + "]";
            if (!element.isTextual() || element.asText().isBlank()) {
                problemAt(elementField, "must be a non-blank string, not " + describe(element));
                continue;
            }
            try {
                final T item = parse.apply(element.asText());
                if (parsed.contains(item)) {
                    problemAt(elementField, "'" + element.asText() + "' is listed twice");
                }
                parsed.add(item);
            } catch (final IllegalArgumentException e) {
                problemAt(elementField, e.getMessage());
            }
        }
        return List.copyOf(parsed);
    }

    /** A map of names to strings, in the order written; empty when absent. */
    public Map<String, String> stringMap(final String name) {
        final JsonNode value = node(name);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            problem(name, "must be a map of names to strings, not " + describe(value));
            return Map.of();
        }
        final Map<String, String> map = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                problemAt(field(name) + "." + entry.getKey(), "must be a string, not " + describe(entry.getValue()));
            } else {
                map.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return map;
    }

    /** A list of objects, each read by its own reader named {@code name[i]}; empty when absent. */
    public List<ConfigReader> objects(final String name) {
        final JsonNode value = node(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problem(name, "must be a list, not " + describe(value));
            return List.of();
        }
        final List<ConfigReader> readers = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            final JsonNode element = value.get(i);
            final String elementField = field(name) + "[" + i + "]";
            if (!element.isObject()) {
                problemAt(elementField, "must be an object, not " + describe(element));
            } else {
                readers.add(new ConfigReader(element, elementField + ".", problems));
            }
        }
        return readers;
    }

    /** Reports every field of this reader that the plugin did not read. Call after reading. */
    public void rejectUnknownFields() {
        for (final Map.Entry<String, JsonNode> field : node.properties()) {
            final String name = field.getKey();
            if (!known.contains(name)) {
                problem(name, "unknown field; known fields: " + String.join(", ", known));
            }
        }
    }

    /** Every problem found so far by this reader and the readers it made. */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    /** What a factory's {@code validate} returns: every problem {@code read} finds in {@code config}. */
    public static List<ConfigProblem> problems(final JsonNode config, final Function<ConfigReader, ?> read) {
        final ConfigReader reader = of(config);
        read.apply(reader);
        return reader.problems();
    }

    /** What a typed factory's {@code parse} returns: the record {@code read} builds, or every problem it finds. */
    public static <T> ParsedConfig<T> parsed(final JsonNode config, final Function<ConfigReader, T> read) {
        final ConfigReader reader = of(config);
        final T parsed = read.apply(reader);
        return reader.problems.isEmpty() ? ParsedConfig.valid(parsed) : ParsedConfig.invalid(reader.problems);
    }

    /** What a factory's {@code create} builds from: the config record of a config that passed validation. */
    public static <T> T parse(final JsonNode config, final Function<ConfigReader, T> read) {
        final ConfigReader reader = of(config);
        return reader.orThrow(read.apply(reader));
    }

    /**
     * Returns {@code config} when no problem was found. {@code create} is only called with validated configs,
     * so a problem here is our bug or a caller skipping validation.
     */
    public <T> T orThrow(final T config) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid plugin config: " + problems.stream()
                .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        return config;
    }

    private static String describe(final JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT)
            .replace("pojo", "object").replace("binary", "bytes");
    }

    private static String plain(final double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }
}

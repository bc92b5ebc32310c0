package io.sluice.bindings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.OnError;
import io.sluice.spi.ParsedConfig;
import io.sluice.spi.TypedInterceptorFactory;

/**
 * The one validator of binding resources (README, "Bindings"), over the resource's JSON tree. Files
 * ({@link BindingResources}) and config topic records ({@link BindingRecords}) are both turned into that
 * tree first, so a record written by another tool is judged by exactly the rules {@code apply} uses.
 * Reports every problem of a resource, each naming its field. Never quotes config values: they are the
 * plugin's business and may name secrets' locations.
 *
 * <p>Scope values: {@code vcluster} follows the name rule ({@code [a-zA-Z0-9._-]{1,128}}) because vclusters
 * are captured from and substituted into topic names. {@code group} and {@code username} are free text so that
 * LDAP groups, e-mail addresses and principals fit: 1 to 256 characters, no control characters, no leading or
 * trailing white space; a group also has no comma, since {@code sluice-groups} is a comma-separated list
 * and a group with a comma could never match.
 */
public final class BindingValidator {

    public static final String API_VERSION = "sluice/v1";
    public static final String KIND = "Interceptor";

    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,128}");
    private static final int MAX_PRINCIPAL_LENGTH = 256;

    private static final List<String> TOP_FIELDS = List.of("apiVersion", "kind", "metadata", "spec");
    private static final List<String> METADATA_FIELDS = List.of("name", "scope");
    private static final List<String> SCOPE_FIELDS = List.of("vcluster", "group", "username");
    private static final List<String> SPEC_FIELDS = List.of("plugin", "priority", "topics", "onError", "config");

    private final PluginRegistry plugins;

    public BindingValidator(final PluginRegistry plugins) {
        this.plugins = plugins;
    }

    /**
     * The binding a resource describes, or its problems.
     *
     * @param binding  the binding, or {@code null} when there are problems
     * @param problems every problem found; empty when the resource is valid
     */
    public record Validated(Binding binding, List<Problem> problems) {

        public Validated {
            problems = List.copyOf(problems);
        }

        public boolean isValid() {
            return problems.isEmpty();
        }
    }

    /**
     * Validates one resource.
     *
     * @param origin   where it came from, e.g. {@code bindings.yaml#2}; problems name it, with the resource's
     *                 name when it has a valid one: {@code bindings.yaml#2 (add-trace-id)}
     * @param resource the parsed resource
     */
    public Validated validate(final String origin, final JsonNode resource) {
        return validate(origin, resource, true);
    }

    /** As {@link #validate(String, JsonNode)}; {@code checkConfig} false when the config could not even be read. */
    Validated validate(final String origin, final JsonNode resource, final boolean checkConfig) {
        final Check check = new Check(source(origin, resource));
        if (resource == null || !resource.isObject()) {
            check.problem(null, "a resource must be an object with apiVersion, kind, metadata and spec");
            return new Validated(null, check.problems);
        }
        check.unknownFields(resource, "", TOP_FIELDS);
        checkHeader(check, resource);
        final BindingId id = identity(check, resource.get("metadata"));
        final Binding binding = spec(check, id, resource.get("spec"), checkConfig);
        return new Validated(check.problems.isEmpty() ? binding : null, check.problems);
    }

    /** {@code origin (name)} when the resource has a valid name, else {@code origin}. */
    public static String source(final String origin, final JsonNode resource) {
        final JsonNode name = resource == null ? null : resource.path("metadata").path("name");
        return name != null && name.isTextual() && NAME.matcher(name.textValue()).matches()
            ? origin + " (" + name.textValue() + ")" : origin;
    }

    private static void checkHeader(final Check check, final JsonNode resource) {
        final JsonNode apiVersion = resource.get("apiVersion");
        if (isUnset(apiVersion)) {
            check.problem("apiVersion", "is required: " + API_VERSION);
        } else if (!apiVersion.isTextual() || !API_VERSION.equals(apiVersion.textValue())) {
            check.problem("apiVersion", "must be " + API_VERSION);
        }
        final JsonNode kind = resource.get("kind");
        if (isUnset(kind)) {
            check.problem("kind", "is required: " + KIND);
        } else if (!kind.isTextual() || !KIND.equals(kind.textValue())) {
            check.problem("kind", "must be " + KIND);
        }
    }

    private static BindingId identity(final Check check, final JsonNode metadata) {
        if (isUnset(metadata)) {
            check.problem("metadata", "is required, with at least a name");
            return null;
        }
        if (!metadata.isObject()) {
            check.problem("metadata", "must be an object with name and scope");
            return null;
        }
        check.unknownFields(metadata, "metadata.", METADATA_FIELDS);
        final String name = name(check, metadata.get("name"));
        final BindingScope scope = scope(check, metadata.get("scope"));
        return name == null || scope == null ? null : new BindingId(name, scope);
    }

    private static String name(final Check check, final JsonNode name) {
        if (isUnset(name)) {
            check.problem("metadata.name", "is required");
            return null;
        }
        if (!name.isTextual() || !NAME.matcher(name.textValue()).matches()) {
            check.problem("metadata.name", "must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'");
            return null;
        }
        return name.textValue();
    }

    private static BindingScope scope(final Check check, final JsonNode scope) {
        if (isUnset(scope)) {
            return BindingScope.GLOBAL;
        }
        if (!scope.isObject()) {
            check.problem("metadata.scope", "must be an object with vcluster, group and/or username (omit it for global)");
            return null;
        }
        check.unknownFields(scope, "metadata.scope.", SCOPE_FIELDS);
        final int before = check.problems.size();
        final String vcluster = scopeValue(check, scope, "vcluster");
        final String group = scopeValue(check, scope, "group");
        final String username = scopeValue(check, scope, "username");
        if (group != null && username != null) {
            check.problem("metadata.scope", "sets both group and username: a scope names a group or a user, not both");
        }
        return check.problems.size() == before ? new BindingScope(vcluster, group, username) : null;
    }

    private static String scopeValue(final Check check, final JsonNode scope, final String field) {
        final JsonNode value = scope.get(field);
        if (isUnset(value)) {
            return null;
        }
        final String path = "metadata.scope." + field;
        if (!value.isTextual()) {
            check.problem(path, "must be a string");
            return null;
        }
        final String text = value.textValue();
        if (text.isEmpty()) {
            check.problem(path, "must not be empty (omit it to match every " + field + ")");
            return null;
        }
        final String broken = "vcluster".equals(field) ? vclusterRule(text) : principalRule(text, "group".equals(field));
        if (broken != null) {
            check.problem(path, broken);
            return null;
        }
        return text;
    }

    private static String vclusterRule(final String text) {
        return NAME.matcher(text).matches() ? null : "must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'";
    }

    private static String principalRule(final String text, final boolean group) {
        if (text.length() > MAX_PRINCIPAL_LENGTH) {
            return "must be at most " + MAX_PRINCIPAL_LENGTH + " characters";
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        if (!text.strip().equals(text)) {
            return "must not start or end with white space";
        }
        if (group && text.indexOf(',') >= 0) {
            return "must not contain a comma (sluice-groups is a comma-separated list)";
        }
        return null;
    }

    private Binding spec(final Check check, final BindingId id, final JsonNode spec, final boolean checkConfig) {
        if (isUnset(spec)) {
            check.problem("spec", "is required, with at least plugin and priority");
            return null;
        }
        if (!spec.isObject()) {
            check.problem("spec", "must be an object with plugin, priority, topics, onError and config");
            return null;
        }
        check.unknownFields(spec, "spec.", SPEC_FIELDS);
        final String plugin = plugin(check, spec.get("plugin"));
        final InterceptorFactory factory = plugin == null ? null : factory(check, plugin);
        final Integer priority = priority(check, spec.get("priority"));
        final Pattern topics = topics(check, spec.get("topics"));
        final OnError onError = onError(check, spec.get("onError"));
        final JsonNode config = config(check, spec.get("config"));
        final Object parsedConfig = checkConfig && factory != null && config != null
            ? pluginConfig(check, factory, config) : null;
        final boolean complete = id != null && factory != null && priority != null && config != null;
        return complete ? new Binding(id, plugin, priority, topics, onError, config, parsedConfig) : null;
    }

    private static String plugin(final Check check, final JsonNode plugin) {
        if (isUnset(plugin)) {
            check.problem("spec.plugin", "is required: a plugin type (see sluice plugins) or a factory class name");
            return null;
        }
        if (!plugin.isTextual() || plugin.textValue().isBlank()) {
            check.problem("spec.plugin", "must be a plugin type (see sluice plugins) or a factory class name");
            return null;
        }
        return plugin.textValue();
    }

    private InterceptorFactory factory(final Check check, final String plugin) {
        final InterceptorFactory factory = plugins.find(plugin).orElse(null);
        if (factory == null) {
            final String known = plugins.factories().stream().map(InterceptorFactory::type).collect(Collectors.joining(", "));
            check.problem("spec.plugin", "unknown plugin " + quote(plugin)
                + (known.isEmpty() ? " (no plugins are installed)" : " (known: " + known + ")"));
        }
        return factory;
    }

    private static Integer priority(final Check check, final JsonNode priority) {
        if (isUnset(priority)) {
            check.problem("spec.priority", "is required: an integer >= 0, lower runs first");
            return null;
        }
        if (!priority.isIntegralNumber()) {
            check.problem("spec.priority", "must be an integer >= 0");
            return null;
        }
        if (!priority.canConvertToInt()) {
            check.problem("spec.priority", priority.bigIntegerValue().signum() < 0
                ? "must be >= 0" : "must be at most " + Integer.MAX_VALUE);
            return null;
        }
        if (priority.intValue() < 0) {
            check.problem("spec.priority", "must be >= 0");
            return null;
        }
        return priority.intValue();
    }

    private static Pattern topics(final Check check, final JsonNode topics) {
        if (isUnset(topics)) {
            return null;
        }
        if (!topics.isTextual()) {
            check.problem("spec.topics", "must be a string: a Java regex the whole ingress topic name must match");
            return null;
        }
        if (topics.textValue().isEmpty()) {
            check.problem("spec.topics", "must not be empty (omit it to run on every topic)");
            return null;
        }
        try {
            return Pattern.compile(topics.textValue());
        } catch (final PatternSyntaxException e) {
            check.problem("spec.topics", "is not a valid Java regex: " + e.getDescription()
                + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            return null;
        }
    }

    private static OnError onError(final Check check, final JsonNode onError) {
        if (isUnset(onError)) {
            return null;
        }
        for (final OnError value : OnError.values()) {
            if (onError.isTextual() && value.label().equals(onError.textValue())) {
                return value;
            }
        }
        check.problem("spec.onError", "must be skip or reject (omit it for the plugin's default)");
        return null;
    }

    private static JsonNode config(final Check check, final JsonNode config) {
        if (isUnset(config)) {
            return Json.object();
        }
        if (!config.isObject()) {
            check.problem("spec.config", "must be an object (the plugin's settings)");
            return null;
        }
        return config.deepCopy();
    }

    /**
     * Checks the config's shape; returns what a {@link TypedInterceptorFactory} parsed it into (kept with the binding,
     * so an instance does not parse it again), or {@code null}.
     */
    private static Object pluginConfig(final Check check, final InterceptorFactory factory, final JsonNode config) {
        final List<ConfigProblem> problems;
        Object parsed = null;
        try {
            if (factory instanceof TypedInterceptorFactory<?> typed) {
                final ParsedConfig<?> result = typed.parse(config);
                problems = result.problems();
                parsed = result.config();
            } else {
                problems = factory.validate(config);
            }
        } catch (final RuntimeException e) {
            // A plugin bug must not stop apply, nor print the config (the exception message might quote it).
            check.problem("spec.config", "plugin " + factory.type() + " failed to check its config ("
                + e.getClass().getSimpleName() + ")");
            return null;
        }
        if (problems != null) {
            problems.forEach(problem -> check.problem(configField(problem.field()), problem.message()));
        }
        return problems == null || problems.isEmpty() ? parsed : null;
    }

    private static String configField(final String field) {
        if (field == null || field.isBlank()) {
            return "spec.config";
        }
        return field.startsWith("[") ? "spec.config" + field : "spec.config." + field;
    }

    /** JSON null counts as unset: YAML writes {@code topics:} with nothing after it that way. */
    private static boolean isUnset(final JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** A user's text in a one-line message: quoted, control characters escaped, long text cut. */
    static String quote(final String text) {
        return "'" + printable(text) + "'";
    }

    private static String printable(final String text) {
        final String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.codePoints()
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    }

    /** The problems of one resource, all with its source. */
    private static final class Check {

        private final String source;
        private final List<Problem> problems = new ArrayList<>();

        Check(final String source) {
            this.source = source;
        }

        void problem(final String field, final String message) {
            problems.add(new Problem(source, field, message));
        }

        void unknownFields(final JsonNode object, final String prefix, final List<String> known) {
            for (final Map.Entry<String, JsonNode> entry : object.properties()) {
                final String field = entry.getKey();
                if (!known.contains(field)) {
                    problem(prefix + printable(field), "unknown field" + suggestion(field, known));
                }
            }
        }

        private static String suggestion(final String field, final List<String> known) {
            return known.stream()
                .filter(candidate -> distance(field.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT)) <= 2)
                .findFirst()
                .map(candidate -> " (did you mean " + candidate + "?)")
                .orElse(" (expected " + String.join(", ", known) + ")");
        }

        /** Levenshtein distance, for typo suggestions on short field names. */
        private static int distance(final String a, final String b) {
            int[] previous = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                previous[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                final int[] current = new int[b.length() + 1];
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                }
                previous = current;
            }
            return previous[b.length()];
        }
    }
}

package io.sluice.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The topology's {@code schemaRegistry}: where the registry is and how to authenticate (SPEC section 8).
 * Secrets (the basic-auth password, the TLS store passwords) are read from files or environment variables the
 * topology names, or from {@code properties}; they never appear in {@link #toString()}, logs or messages.
 *
 * @param url             the Confluent API's base URL, e.g. {@code http://registry:8081} or Apicurio's
 *                        {@code http://host:8080/apis/ccompat/v7}
 * @param username        basic-auth user, or {@code null}
 * @param password        basic-auth password, or {@code null}
 * @param bearerTokenFile a file holding a bearer token (read for each request, so a rotated token is used), or
 *                        {@code null}
 * @param properties      TLS settings ({@link #TLS_PROPERTIES})
 * @param timeout         how long a request is retried before the registry counts as unavailable
 */
public record SchemaRegistrySettings(URI url, String username, String password, Path bearerTokenFile,
                                     Map<String, String> properties, Duration timeout) {

    /** Overrides the topology's URL, and configures a registry (no credentials) when the topology has none. */
    public static final String URL_ENV = "SLUICE_SCHEMA_REGISTRY_URL";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Set<String> FIELDS = Set.of("url", "basicAuth", "bearerTokenFile", "properties", "timeout");
    static final Set<String> BASIC_AUTH_FIELDS = Set.of("username", "passwordFile", "passwordEnv");
    /** Named as in Confluent's and Kafka's clients. */
    public static final Set<String> TLS_PROPERTIES = Set.of("ssl.truststore.location", "ssl.truststore.password",
        "ssl.truststore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.keystore.type",
        "ssl.key.password");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

    public SchemaRegistrySettings {
        properties = Map.copyOf(properties);
    }

    /** Only the URL, default timeout. */
    public static SchemaRegistrySettings of(final URI url) {
        return new SchemaRegistrySettings(url, null, null, null, Map.of(), DEFAULT_TIMEOUT);
    }

    public SchemaRegistrySettings withTimeout(final Duration newTimeout) {
        return new SchemaRegistrySettings(url, username, password, bearerTokenFile, properties, newTimeout);
    }

    @Override
    public String toString() {
        return "SchemaRegistrySettings[url=" + url + ", basicAuth=" + (username == null ? "none" : username + ":***")
            + ", bearerTokenFile=" + bearerTokenFile + ", properties=" + properties.keySet() + ", timeout=" + timeout + "]";
    }

    /**
     * Reads {@code schemaRegistry} ({@code node} may be absent: then only {@link #URL_ENV} configures one).
     *
     * @param problem receives (field below {@code schemaRegistry.}, message) for each problem
     * @return the settings, or {@code null} when there is no registry or a problem was reported
     */
    public static SchemaRegistrySettings read(final JsonNode node, final Function<String, String> environment,
                                              final BiConsumer<String, String> problem) {
        final String override = environment.apply(URL_ENV);
        final boolean overridden = override != null && !override.isBlank();
        if (node == null || node.isNull()) {
            if (!overridden) {
                return null;
            }
            final URI url = url(override, URL_ENV, problem);
            return url == null ? null : of(url);
        }
        if (!node.isObject()) {
            problem.accept("", "must be an object with the fields " + new TreeSet<>(FIELDS));
            return null;
        }
        final Problems problems = new Problems(problem);
        unknownFields(node, "", FIELDS, problems);
        final String urlText = overridden ? override : text(node, "url", "", problems);
        URI url = null;
        if (urlText == null) {
            if (!node.has("url")) {
                problems.add("url", "is required (or the environment variable " + URL_ENV + ")");
            }
        } else {
            url = url(urlText, overridden ? URL_ENV : "url", problems);
        }
        String username = null;
        String password = null;
        final JsonNode basic = node.get("basicAuth");
        if (basic != null && !basic.isNull()) {
            if (!basic.isObject()) {
                problems.add("basicAuth", "must be an object with the fields " + new TreeSet<>(BASIC_AUTH_FIELDS));
            } else {
                unknownFields(basic, "basicAuth.", BASIC_AUTH_FIELDS, problems);
                if (basic.has("password")) {
                    problems.add("basicAuth.password", "must not be set: put the password in a file (passwordFile)"
                        + " or an environment variable (passwordEnv)");
                }
                username = text(basic, "username", "basicAuth.", problems);
                if (username == null && !basic.has("username")) {
                    problems.add("basicAuth.username", "is required");
                }
                password = password(basic, environment, problems);
            }
        }
        final String tokenFile = text(node, "bearerTokenFile", "", problems);
        Path bearerTokenFile = null;
        if (tokenFile != null) {
            bearerTokenFile = Path.of(tokenFile);
            if (!Files.isReadable(bearerTokenFile) || Files.isDirectory(bearerTokenFile)) {
                problems.add("bearerTokenFile", "cannot read '" + tokenFile + "': no such readable file");
            }
            if (basic != null && !basic.isNull()) {
                problems.add("bearerTokenFile", "basicAuth and bearerTokenFile exclude each other; keep one");
            }
        }
        final Map<String, String> properties = properties(node.get("properties"), problems);
        final Duration timeout = timeout(node.get("timeout"), problems);
        return problems.any ? null
            : new SchemaRegistrySettings(url, username, password, bearerTokenFile, properties, timeout);
    }

    private static URI url(final String text, final String field, final BiConsumer<String, String> problem) {
        try {
            final URI url = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                problem.accept(field.equals(URL_ENV) ? "url" : field, "'" + text + "'" + from(field)
                    + " is not an http:// or https:// URL with a host");
                return null;
            }
            return url;
        } catch (final URISyntaxException e) {
            problem.accept(field.equals(URL_ENV) ? "url" : field, "'" + text + "'" + from(field) + " is not a URL: "
                + e.getReason());
            return null;
        }
    }

    private static String from(final String field) {
        return field.equals(URL_ENV) ? " (from " + URL_ENV + ")" : "";
    }

    private static String password(final JsonNode basic, final Function<String, String> environment,
                                   final Problems problems) {
        final String file = text(basic, "passwordFile", "basicAuth.", problems);
        final String variable = text(basic, "passwordEnv", "basicAuth.", problems);
        if ((file == null) == (variable == null)) {
            problems.add("basicAuth", "needs the password from exactly one of passwordFile and passwordEnv");
            return null;
        }
        if (file != null) {
            try {
                final String password = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (password.isEmpty()) {
                    problems.add("basicAuth.passwordFile", "'" + file + "' is empty");
                }
                return password;
            } catch (final IOException | RuntimeException e) {
                problems.add("basicAuth.passwordFile", "cannot read '" + file + "': " + e.getClass().getSimpleName());
                return null;
            }
        }
        final String password = environment.apply(variable);
        if (password == null || password.isBlank()) {
            problems.add("basicAuth.passwordEnv", "the environment variable " + variable + " is not set or empty");
            return null;
        }
        return password.strip();
    }

    private static Map<String, String> properties(final JsonNode node, final Problems problems) {
        final Map<String, String> properties = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return properties;
        }
        if (!node.isObject()) {
            problems.add("properties", "must be an object of TLS settings: " + new TreeSet<>(TLS_PROPERTIES));
            return properties;
        }
        for (final Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (!TLS_PROPERTIES.contains(field.getKey())) {
                problems.add("properties." + field.getKey(), "unknown property; known: " + new TreeSet<>(TLS_PROPERTIES));
            } else if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                problems.add("properties." + field.getKey(), "must be a string");
            } else {
                properties.put(field.getKey(), field.getValue().asText());
            }
        }
        final String truststore = properties.get("ssl.truststore.location");
        final String keystore = properties.get("ssl.keystore.location");
        for (final String location : new String[] {truststore, keystore}) {
            if (location != null && !Files.isReadable(Path.of(location))) {
                problems.add("properties." + (location.equals(truststore) ? "ssl.truststore.location"
                    : "ssl.keystore.location"), "cannot read '" + location + "'");
            }
        }
        return properties;
    }

    private static Duration timeout(final JsonNode node, final Problems problems) {
        if (node == null || node.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        final Matcher matcher = node.isTextual() ? DURATION.matcher(node.textValue().strip()) : null;
        if (matcher == null || !matcher.matches()) {
            problems.add("timeout", "must be a duration such as 30s, 500ms or 2m");
            return null;
        }
        final long amount = Long.parseLong(matcher.group(1));
        final Duration timeout = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("timeout", "must be more than 0 and at most 10m");
        }
        return timeout;
    }

    private static void unknownFields(final JsonNode node, final String prefix, final Set<String> known,
                                      final Problems problems) {
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!known.contains(name) && !"password".equals(name)) {
                problems.add(prefix + name, "unknown field; known fields here: " + new TreeSet<>(known));
            }
        }
    }

    private static String text(final JsonNode parent, final String name, final String prefix, final Problems problems) {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(prefix + name, "must be a string (quote it)");
            return null;
        }
        return node.textValue();
    }

    private static final class Problems implements BiConsumer<String, String> {
        private final BiConsumer<String, String> sink;
        private boolean any;

        Problems(final BiConsumer<String, String> sink) {
            this.sink = sink;
        }

        void add(final String field, final String message) {
            any = true;
            sink.accept(field, message);
        }

        @Override
        public void accept(final String field, final String message) {
            add(field, message);
        }
    }
}

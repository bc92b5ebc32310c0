package io.sluice.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;
import io.sluice.registry.SchemaRegistryException.Kind;

/**
 * A client of the Confluent Schema Registry REST API (Confluent's registry, Apicurio's {@code /apis/ccompat/v7},
 * Karapace, Redpanda) on the JDK's {@link HttpClient}: schemas by id (cached for good: ids are immutable),
 * subjects and their versions, registration. A request that fails for a reason that may pass (no connection,
 * 5xx, 429, a time-out) is retried with backoff until {@link SchemaRegistrySettings#timeout()} has passed, then
 * fails as {@link Kind#UNAVAILABLE}; answers that will not change (404, 409, 422, 401) fail at once.
 * Thread-safe: one per application, shared by its stream threads.
 */
public final class SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(10);
    /** At most one warning per this interval while the registry keeps failing: no logging per record. */
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final SchemaRegistrySettings settings;
    private final String base;
    private final HttpClient http;
    private final String basicAuth;
    private final Map<Integer, RegisteredSchema> schemas = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    public SchemaRegistryClient(final SchemaRegistrySettings settings) {
        this.settings = settings;
        this.base = settings.url().toString();
        final HttpClient.Builder builder = HttpClient.newBuilder()
            .connectTimeout(min(settings.timeout(), MAX_REQUEST_TIME))
            .followRedirects(HttpClient.Redirect.NORMAL);
        if ("https".equals(settings.url().getScheme())) {
            builder.sslContext(sslContext(settings.properties()));
        }
        this.http = builder.build();
        this.basicAuth = settings.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
            (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    public SchemaRegistrySettings settings() {
        return settings;
    }

    /**
     * The schema of a global id: {@code GET /schemas/ids/{id}}, from the cache after the first time.
     *
     * @throws SchemaRegistryException NOT_FOUND for an id the registry does not know, UNAVAILABLE after the timeout
     */
    public RegisteredSchema schemaById(final int id) {
        final RegisteredSchema cached = schemas.get(id);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("GET", "/schemas/ids/" + id, null, "schema id " + id);
        final RegisteredSchema schema = new RegisteredSchema(id, SchemaType.fromRegistry(textOrNull(answer, "schemaType")),
            requiredText(answer, "schema", "schema id " + id));
        schemas.putIfAbsent(id, schema);
        return schema;
    }

    /** The schema of an id if it was fetched before (no request). */
    public RegisteredSchema cachedSchemaById(final int id) {
        return schemas.get(id);
    }

    /**
     * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}); registering a schema the
     * subject has already returns its id again.
     *
     * @return the schema's global id
     * @throws SchemaRegistryException REFUSED when the registry finds it invalid or incompatible
     */
    public int register(final String subject, final SchemaType type, final String schema) {
        final ObjectNode body = Json.object();
        body.put("schema", schema);
        if (type != SchemaType.AVRO) {
            body.put("schemaType", type.name());
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body,
            "registering a schema under subject " + subject);
        final int id = requiredInt(answer, "id", "registering under " + subject);
        schemas.putIfAbsent(id, new RegisteredSchema(id, type, schema));
        return id;
    }

    /** The subjects ({@code GET /subjects}). */
    public List<String> subjects() {
        final JsonNode answer = send("GET", "/subjects", null, "the subjects");
        final List<String> subjects = new ArrayList<>();
        answer.forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    /** The version numbers of a subject ({@code GET /subjects/{subject}/versions}); NOT_FOUND for no such subject. */
    public List<Integer> versions(final String subject) {
        final JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null, "subject " + subject);
        final List<Integer> versions = new ArrayList<>();
        answer.forEach(version -> versions.add(version.asInt()));
        return versions;
    }

    /** One version ({@code latest} or a number) of a subject: {@code GET /subjects/{subject}/versions/{version}}. */
    public SubjectVersion version(final String subject, final String version) {
        final String what = "subject " + subject + " version " + version;
        final JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null, what);
        return new SubjectVersion(subject, requiredInt(answer, "version", what), requiredInt(answer, "id", what));
    }

    /** Every subject version whose schema has this id ({@code GET /schemas/ids/{id}/versions}). */
    public List<SubjectVersion> versionsOf(final int id) {
        final JsonNode answer = send("GET", "/schemas/ids/" + id + "/versions", null, "the versions of schema id " + id);
        final List<SubjectVersion> versions = new ArrayList<>();
        answer.forEach(entry -> versions.add(new SubjectVersion(entry.path("subject").asText(),
            entry.path("version").asInt(), id)));
        return versions;
    }

    // ---- requests

    private JsonNode send(final String method, final String path, final JsonNode body, final String what) {
        final long deadline = System.nanoTime() + settings.timeout().toNanos();
        Duration backoff = FIRST_BACKOFF;
        String lastProblem;
        int attempts = 0;
        while (true) {
            attempts++;
            final Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
            try {
                final HttpResponse<InputStream> response = http.send(request(method, path, body, min(remaining,
                    MAX_REQUEST_TIME)), HttpResponse.BodyHandlers.ofInputStream());
                final int status = response.statusCode();
                try (InputStream in = response.body()) {
                    final byte[] bytes = in.readAllBytes();
                    if (status >= 200 && status < 300) {
                        return parse(bytes, what);
                    }
                    lastProblem = "HTTP " + status + message(bytes);
                    if (status != 429 && status < 500) {
                        throw new SchemaRegistryException(status == 404 ? Kind.NOT_FOUND : Kind.REFUSED,
                            "schema registry: " + what + ": " + lastProblem);
                    }
                }
            } catch (final IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(Kind.UNAVAILABLE, "schema registry: " + what + ": interrupted");
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SchemaRegistryException(Kind.UNAVAILABLE, "schema registry at " + base + " unavailable for "
                    + settings.timeout().toMillis() + " ms (" + attempts + " attempts; last: " + lastProblem + "): " + what);
            }
            warn(what, lastProblem);
            sleep(Math.min(backoff.toNanos(), left));
            backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        }
    }

    private HttpRequest request(final String method, final String path, final JsonNode body, final Duration timeout)
        throws IOException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
        if (basicAuth != null) {
            request.header("Authorization", basicAuth);
        } else if (settings.bearerTokenFile() != null) {
            request.header("Authorization", "Bearer " + Files.readString(settings.bearerTokenFile()).strip());
        }
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build();
    }

    private static JsonNode parse(final byte[] bytes, final String what) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (final IOException e) {
            throw new SchemaRegistryException(Kind.BAD_ANSWER, "schema registry: " + what + ": the answer is not JSON");
        }
    }

    /** The Confluent API's error message ({@code {"error_code":40403,"message":"..."}}), if the body has one. */
    private static String message(final byte[] bytes) {
        try {
            final JsonNode error = Json.MAPPER.readTree(bytes);
            final String message = error == null ? null : textOrNull(error, "message");
            return message == null ? "" : " (" + message + ")";
        } catch (final IOException | RuntimeException e) {
            return "";
        }
    }

    private void warn(final String what, final String problem) {
        final long now = System.nanoTime();
        final long last = lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("schema registry at {} failed ({}) for {}; retrying for up to {} ms", base, problem, what,
                settings.timeout().toMillis());
        }
    }

    private static String textOrNull(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String requiredText(final JsonNode node, final String field, final String what) {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new SchemaRegistryException(Kind.BAD_ANSWER, "schema registry: " + what + ": no '" + field + "' in the answer");
        }
        return value.textValue();
    }

    private static int requiredInt(final JsonNode node, final String field, final String what) {
        final JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(Kind.BAD_ANSWER, "schema registry: " + what + ": no '" + field + "' in the answer");
        }
        return value.intValue();
    }

    private static String encode(final String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(final long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos).toMillis(), 0);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(Kind.UNAVAILABLE, "schema registry: interrupted while retrying");
        }
    }

    /** TLS from Kafka-style properties; the JDK's trust store when none is named. */
    private static SSLContext sslContext(final Map<String, String> properties) {
        try {
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store(properties, "ssl.truststore"));
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            final KeyStore keyStore = store(properties, "ssl.keystore");
            final String keyPassword = properties.getOrDefault("ssl.key.password", properties.get("ssl.keystore.password"));
            keys.init(keyStore, keyPassword == null ? null : keyPassword.toCharArray());
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyStore == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (final GeneralSecurityException | IOException e) {
            // the message names the store, never its password
            throw new IllegalArgumentException("schemaRegistry.properties: cannot set up TLS: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private static KeyStore store(final Map<String, String> properties, final String prefix)
        throws GeneralSecurityException, IOException {
        final String location = properties.get(prefix + ".location");
        if (location == null) {
            return null;
        }
        final KeyStore store = KeyStore.getInstance(properties.getOrDefault(prefix + ".type", KeyStore.getDefaultType()));
        final String password = properties.get(prefix + ".password");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}

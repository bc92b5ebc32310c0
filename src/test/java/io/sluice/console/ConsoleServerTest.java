package io.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.avro.AckOutcome;
import io.sluice.common.Json;
import io.sluice.resolution.Context;

/**
 * The console's HTTP contract over a recording data source: pages and assets from the class path, the API's
 * shapes, 400 with a reason for every kind of bad query, 405 for writes, 404, 503 and 500 without a stack trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Recording data = new Recording();
    private ConsoleServer server;

    @BeforeEach
    void start() {
        server = ConsoleServer.start(data, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesEveryPageAndItsAssetsFromTheClassPath() throws Exception {
        for (final String page : List.of("/", "/bindings", "/resolve", "/audit")) {
            final HttpResponse<String> response = get(page);
            assertEquals(200, response.statusCode(), page);
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), page);
            assertTrue(response.body().contains("/assets/console.js"), page);
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElseThrow()
                .contains("default-src 'self'"), "nothing is loaded from elsewhere");
        }
        final HttpResponse<String> chart = get("/assets/chart.js");
        assertEquals(200, chart.statusCode());
        assertTrue(chart.body().contains("Chart.js"), "the webjar's chart library is served");
        assertEquals(200, get("/assets/console.js").statusCode());
        assertEquals(200, get("/assets/console.css").statusCode());
        assertTrue(get("/").body().contains("/assets/chart.js"), "the overview loads the served chart library");
    }

    @Test
    void answersTheApiInTheCommandLinesShapes() throws Exception {
        // when
        final HttpResponse<String> bindings = get("/api/bindings");
        final HttpResponse<String> resolve = get("/api/resolve?vcluster=payments&user=alice&groups=analysts,%20auditors,,&topic=orders.in");
        final HttpResponse<String> acks = get("/api/audit/acks?user=alice&outcome=rejected&since=10m&limit=5");

        // then: JSON lines for lists, one object for resolve; the query reaches the source as the CLI reads it
        assertEquals("application/x-ndjson", bindings.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"status\":\"valid\",\"name\":\"a\"}\n{\"status\":\"invalid\",\"name\":\"b\"}\n", bindings.body());
        assertEquals(200, resolve.statusCode());
        assertEquals(new Context("payments", "alice", java.util.Set.of("analysts", "auditors"), "orders.in"),
            data.contexts.get(0));
        assertEquals("{\"chain\":[]}\n", resolve.body());
        final ConsoleData.AckFilter filter = data.filters.get(0);
        assertEquals("alice", filter.user());
        assertEquals(AckOutcome.REJECTED, filter.outcome());
        assertEquals(5, filter.limit());
        assertTrue(filter.notBefore().isAfter(java.time.Instant.now().minus(Duration.ofMinutes(11))));
        assertEquals("42", acks.headers().firstValue("X-Sluice-Scanned").orElseThrow());
        assertEquals("{\"eventId\":\"e1\"}\n", acks.body());
    }

    @Test
    void refusesBadQueriesWithAReasonAndNoStackTrace() throws Exception {
        assertBadRequest("/api/audit/acks?outcome=NOPE", "outcome 'NOPE': not one of ACKNOWLEDGED, REJECTED, FAILED");
        assertBadRequest("/api/audit/acks?since=yesterday", "since 'yesterday' is not a duration");
        assertBadRequest("/api/audit/acks?limit=0", "limit '0': must be a whole number from 1 to 1000");
        assertBadRequest("/api/audit/acks?limit=abc", "limit 'abc'");
        assertBadRequest("/api/audit/acks?user=a&user=b", "parameter 'user' given twice");
        assertBadRequest("/api/resolve?tenant=x", "unknown parameter 'tenant' (expected groups, topic, user, vcluster)");
        assertBadRequest("/api/resolve?user=%01alice", "user: contains control characters");
        assertBadRequest("/api/bindings?x=1", "unknown parameter 'x': this page takes none");
        assertBadRequest("/audit?outcome=maybe", "outcome 'maybe'");
        assertBadRequest("/resolve?topics=x", "unknown parameter 'topics'");
        assertBadRequest("/api/resolve?topic=" + "t".repeat(Query.MAX_LENGTH + 1), "longer than");
        assertTrue(data.contexts.isEmpty() && data.filters.isEmpty(), "no bad query reached the source");
    }

    @Test
    void isReadOnlyAndAnswersUnknownPathsAndFailuresInOneLine() throws Exception {
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/api/bindings"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());

        final HttpResponse<String> missing = get("/admin");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().startsWith("not found: /admin"), missing.body());

        data.failure = new Unavailable("cannot talk to Kafka at localhost:1");
        final HttpResponse<String> unavailable = get("/api/bindings");
        assertEquals(503, unavailable.statusCode());
        assertEquals("unavailable: cannot talk to Kafka at localhost:1\n", unavailable.body());

        data.failure = new IllegalStateException("a bug of ours\n\tat io.sluice.Somewhere");
        final HttpResponse<String> bug = get("/api/bindings");
        assertEquals(500, bug.statusCode());
        assertEquals("internal error (logged by the console)\n", bug.body());
        assertFalse(bug.body().contains("at io.sluice"), "no stack trace reaches the browser");
    }

    @Test
    void overviewCarriesTheApplicationAndTheSampledRates() throws Exception {
        final long[] count = {0};
        data.metrics = new MetricsHistory(() -> {
            count[0] += 50;
            return new MetricsHistory.Sample(count[0] * 20, java.util.Map.of("ACKNOWLEDGED", count[0]),
                java.util.Map.of("stamp", new MetricsHistory.Interceptor(count[0], count[0] * 2000, 0)));
        }, "Sampled by the test.", Duration.ofMillis(50), 10).start();
        try {
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            ObjectNode metrics;
            do {
                Thread.sleep(50);
                metrics = (ObjectNode) Json.parse(get("/api/overview").body()).get("metrics");
            } while (metrics.get("times").size() < 2 && System.nanoTime() < deadline);
            assertTrue(metrics.get("times").size() >= 2, "two intervals were sampled: " + metrics);
            // 50 records per 1000 ms of sample time; 2 µs per call
            assertEquals(50.0, metrics.get("outcomes").get("ACKNOWLEDGED").get(0).asDouble());
            assertEquals(50.0, metrics.get("interceptors").get("stamp").get("calls").get(0).asDouble());
            assertEquals(2.0, metrics.get("interceptors").get("stamp").get("microsPerCall").get(0).asDouble());
            assertEquals("Sampled by the test.", metrics.get("note").asText());
            assertEquals("console-test", Json.parse(get("/api/overview").body()).get("application")
                .get("applicationId").asText());
        } finally {
            data.metrics.close();
        }
    }

    private void assertBadRequest(final String path, final String reason) throws Exception {
        final HttpResponse<String> response = get(path);
        assertEquals(400, response.statusCode(), path + ": " + response.body());
        assertTrue(response.body().startsWith("bad request: "), response.body());
        assertTrue(response.body().contains(reason), path + " -> " + response.body());
        assertEquals(1, response.body().strip().lines().count(), "one line: " + response.body());
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path) {
        return URI.create(server.url()).resolve(path);
    }

    /** Answers fixed data and records what it was asked; the command line's sources are tested in ConsoleIT. */
    private static final class Recording implements ConsoleData {
        final List<Context> contexts = new ArrayList<>();
        final List<AckFilter> filters = new ArrayList<>();
        volatile RuntimeException failure;
        volatile MetricsHistory metrics;

        @Override
        public ObjectNode application() {
            return Json.object().put("applicationId", "console-test");
        }

        @Override
        public List<ObjectNode> bindings() {
            if (failure != null) {
                throw failure;
            }
            return List.of(Json.object().put("status", "valid").put("name", "a"),
                Json.object().put("status", "invalid").put("name", "b"));
        }

        @Override
        public ObjectNode resolve(final Context context) {
            contexts.add(context);
            final ObjectNode json = Json.object();
            json.putArray("chain");
            return json;
        }

        @Override
        public AckWindow acks(final AckFilter filter) {
            filters.add(filter);
            return new AckWindow(List.of(Json.object().put("eventId", "e1")), 42, true);
        }

        @Override
        public MetricsHistory metrics() {
            return metrics;
        }

        @Override
        public Duration parseSince(final String text) {
            if (!text.equals("10m")) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 30s");
            }
            return Duration.ofMinutes(10);
        }
    }
}

package io.sluice.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.sluice.avro.AckOutcome;
import io.sluice.common.Json;
import io.sluice.resolution.Context;
import io.sluice.runtime.StartupException;

/**
 * The web console's HTTP server (README, "Console"): the pages, their scripts and the chart library from the class
 * path, and the JSON API. Read-only: anything but GET and HEAD is refused. A bad query gets 400 with a one-line
 * reason; an unreachable source 503; our own failure 500 with no detail (logged here) — never a stack trace.
 */
public final class ConsoleServer implements AutoCloseable {

    /** The newest events the audit explorer shows by default, and at most. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    static final Set<String> RESOLVE_PARAMETERS = Set.of("vcluster", "user", "groups", "topic");
    static final Set<String> AUDIT_PARAMETERS = Set.of("user", "vcluster", "outcome", "since", "limit");
    private static final String RESOURCES = "io/sluice/console/";
    private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    /** The pages by path: each its content in one file, in the frame of {@code layout.html}. */
    private static final Map<String, byte[]> PAGES = Map.of(
        "/", framed("index.html", "Overview", "overview", true),
        "/bindings", framed("bindings.html", "Bindings", "bindings", false),
        "/resolve", framed("resolve.html", "Resolve", "resolve", false),
        "/audit", framed("audit.html", "Audit", "audit", false));
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);

    private final ConsoleData data;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String chartJs;

    private ConsoleServer(final ConsoleData data, final HttpServer server, final String chartJs) {
        this.data = data;
        this.server = server;
        this.chartJs = chartJs;
        final AtomicInteger threads = new AtomicInteger();
        // Few threads: a console has a handful of viewers, and its work must not compete with the data path.
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "sluice-console-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Serves the console on {@code host:port} (port 0: any free port).
     *
     * @throws StartupException when the address cannot be bound
     */
    public static ConsoleServer start(final ConsoleData data, final String host, final int port) {
        final String chartJs = chartJsPath();
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (final BindException e) {
            throw new StartupException("cannot serve the console on " + host + ":" + port + ": the port is taken");
        } catch (final IOException | IllegalArgumentException e) {
            throw new StartupException("cannot serve the console on " + host + ":" + port + ": " + e.getMessage());
        }
        final ConsoleServer console = new ConsoleServer(data, server, chartJs);
        server.createContext("/", console::handle);
        server.setExecutor(console.executor);
        server.start();
        return console;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address a browser opens, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        final InetSocketAddress address = server.getAddress();
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/";
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                final String method = exchange.getRequestMethod();
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                    send(exchange, 405, "text/plain; charset=utf-8", "the console is read-only: use GET\n");
                    return;
                }
                route(exchange, exchange.getRequestURI());
            } catch (final BadRequest e) {
                send(exchange, 400, "text/plain; charset=utf-8", "bad request: " + e.getMessage() + "\n");
            } catch (final Unavailable e) {
                send(exchange, 503, "text/plain; charset=utf-8", "unavailable: " + e.getMessage() + "\n");
            } catch (final RuntimeException e) {
                LOG.warn("console: {} failed", exchange.getRequestURI().getRawPath(), e);
                send(exchange, 500, "text/plain; charset=utf-8", "internal error (logged by the console)\n");
            }
        } catch (final IOException e) {
            // The browser went away mid-response.
            LOG.debug("console: cannot answer {}: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private void route(final HttpExchange exchange, final URI uri) throws IOException {
        final String path = uri.getRawPath();
        switch (path) {
            case "/api/overview" -> json(exchange, overview(Query.parse(uri, Set.of())));
            case "/api/bindings" -> lines(exchange, bindings(Query.parse(uri, Set.of())), Map.of());
            case "/api/resolve" -> json(exchange, data.resolve(context(Query.parse(uri, RESOLVE_PARAMETERS))));
            case "/api/audit/acks" -> acks(exchange, filter(Query.parse(uri, AUDIT_PARAMETERS)));
            case "/assets/chart.js" -> resource(exchange, chartJs, "js");
            case "/assets/console.js" -> resource(exchange, RESOURCES + "console.js", "js");
            case "/assets/console.css" -> resource(exchange, RESOURCES + "console.css", "css");
            default -> page(exchange, uri, path);
        }
    }

    private void page(final HttpExchange exchange, final URI uri, final String path) throws IOException {
        final byte[] page = PAGES.get(path);
        if (page == null) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path
                + " (pages: /, /bindings, /resolve, /audit; API: /api/bindings, /api/resolve, /api/audit/acks)\n");
            return;
        }
        // The pages are static; their parameters are checked here too, so a bad link gets its 400 at once.
        switch (path) {
            case "/resolve" -> context(Query.parse(uri, RESOLVE_PARAMETERS));
            case "/audit" -> filter(Query.parse(uri, AUDIT_PARAMETERS));
            default -> Query.parse(uri, Set.of());
        }
        send(exchange, 200, TYPES.get("html"), page);
    }

    /** A page's content in the frame every page shares (its head, navigation and error line). */
    private static byte[] framed(final String content, final String title, final String name, final boolean charts) {
        return text("layout.html")
            .replace("{{title}}", title)
            .replace("{{scripts}}", charts ? "<script src=\"/assets/chart.js\" defer></script>\n" : "")
            .replace("{{page}}", name)
            .replace("{{main}}", text(content))
            .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final String name) {
        return new String(bytes(RESOURCES + name), StandardCharsets.UTF_8);
    }

    private ObjectNode overview(final Query query) {
        final ObjectNode json = Json.object();
        json.set("application", data.application());
        final MetricsHistory metrics = data.metrics();
        json.set("metrics", metrics == null ? null : metrics.toJson());
        return json;
    }

    private List<ObjectNode> bindings(final Query query) {
        return data.bindings();
    }

    /** A resolve query as {@code sluice resolve} reads its options: groups comma separated, trimmed, empty ones dropped. */
    static Context context(final Query query) {
        final String groups = query.text("groups");
        final Set<String> groupSet = groups == null ? Set.of() : Arrays.stream(groups.split(","))
            .map(String::strip).filter(group -> !group.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
        return new Context(query.text("vcluster"), query.text("user"), groupSet, query.text("topic"));
    }

    private ConsoleData.AckFilter filter(final Query query) {
        final String outcome = query.text("outcome");
        AckOutcome parsed = null;
        if (outcome != null) {
            try {
                parsed = AckOutcome.valueOf(outcome.toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new BadRequest("outcome '" + outcome + "': not one of "
                    + Arrays.stream(AckOutcome.values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
        final String since = query.text("since");
        Instant notBefore = null;
        if (since != null) {
            final Duration duration;
            try {
                duration = data.parseSince(since);
            } catch (final IllegalArgumentException e) {
                throw new BadRequest("since " + e.getMessage());
            }
            notBefore = Instant.now().minus(duration);
        }
        return new ConsoleData.AckFilter(query.text("user"), query.text("vcluster"), parsed, notBefore,
            query.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    private void acks(final HttpExchange exchange, final ConsoleData.AckFilter filter) throws IOException {
        final ConsoleData.AckWindow window = data.acks(filter);
        lines(exchange, window.events(), Map.of("X-Sluice-Scanned", Long.toString(window.scanned()),
            "X-Sluice-Complete", Boolean.toString(window.complete())));
    }

    private static void json(final HttpExchange exchange, final ObjectNode json) throws IOException {
        noStore(exchange);
        send(exchange, 200, "application/json", Json.line(json) + "\n");
    }

    /** JSON lines, as the command line prints {@code -o json}: one object per line. */
    private static void lines(final HttpExchange exchange, final List<ObjectNode> lines,
                              final Map<String, String> headers) throws IOException {
        noStore(exchange);
        headers.forEach(exchange.getResponseHeaders()::add);
        final StringBuilder body = new StringBuilder();
        lines.forEach(line -> body.append(Json.line(line)).append('\n'));
        send(exchange, 200, "application/x-ndjson", body.toString());
    }

    private static void noStore(final HttpExchange exchange) {
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
    }

    private static void resource(final HttpExchange exchange, final String name, final String type) throws IOException {
        send(exchange, 200, TYPES.get(type), bytes(name));
    }

    private static byte[] bytes(final String name) {
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console resource " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the console resource " + name, e);
        }
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // Everything the pages use comes from this server: no CDN, no inline script, no framing by other sites.
        exchange.getResponseHeaders().set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The chart library's script inside its webjar, found by the version the webjar declares. */
    private static String chartJsPath() {
        final Properties properties = new Properties();
        try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(CHART_JS_POM)) {
            if (in == null) {
                throw new StartupException("the console's chart library (webjar chart.js) is not on the class path");
            }
            properties.load(in);
        } catch (final IOException e) {
            throw new StartupException("cannot read the chart library's version: " + e.getMessage());
        }
        return "META-INF/resources/webjars/chart.js/" + properties.getProperty("version") + "/dist/chart.umd.min.js";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

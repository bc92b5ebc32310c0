package io.sluice.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.chain.ChainRunner;
import io.sluice.chain.HookGuard;
import io.sluice.resolution.IndexedResolver;
import io.sluice.spi.Outcome;
import io.sluice.topology.ConfigStatus;

/**
 * Prometheus metrics on {@code http://HOST:PORT/metrics}: Kafka Streams' own metrics, the JVM's, and Sluice's —
 * records per outcome, hook calls / errors / time per interceptor, config records applied / invalid, and the
 * resolution cache.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> registeredInterceptors = new HashSet<>();
    private final HookGuard interceptors;
    private final KafkaStreamsMetrics streamsMetrics;
    private final HttpServer server;

    private MetricsEndpoint(final SluiceApp app, final HttpServer server) {
        this.interceptors = app.hookGuard();
        this.server = server;
        this.streamsMetrics = new KafkaStreamsMetrics(app.streams());
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        bindSluice(registry, app);
    }

    /**
     * Serves the metrics of a started app on {@code port}.
     *
     * @throws StartupException when the port is taken
     */
    public static MetricsEndpoint start(final SluiceApp app, final int port) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (final BindException e) {
            throw new StartupException("cannot serve metrics on port " + port + ": the port is taken");
        } catch (final IOException e) {
            throw new StartupException("cannot serve metrics on port " + port + ": " + e.getMessage());
        }
        final MetricsEndpoint endpoint = new MetricsEndpoint(app, server);
        server.createContext("/metrics", endpoint::scrape);
        server.setExecutor(null);
        server.start();
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void scrape(final HttpExchange exchange) throws IOException {
        registerNewInterceptors();
        final byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void bindSluice(final MeterRegistry registry, final SluiceApp app) {
        final ChainRunner runner = app.runner();
        for (final Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("sluice.records", runner, r -> r.outcomeCount(outcome))
                .description("Ingress records by outcome").tag("outcome", outcome.name()).register(registry);
        }
        final ConfigStatus config = app.configStatus();
        counter(registry, "sluice.config.records.applied", config, ConfigStatus::appliedCount,
            "Config records applied (bindings added or replaced)");
        counter(registry, "sluice.config.records.deleted", config, ConfigStatus::deletedCount,
            "Config tombstones applied (bindings deleted)");
        counter(registry, "sluice.config.records.invalid", config, ConfigStatus::invalidCount,
            "Config records not applied because they are invalid");
        final IndexedResolver resolver = app.resolver();
        counter(registry, "sluice.resolution.cache.hits", resolver, r -> r.stats().hits(), "Resolution cache hits");
        counter(registry, "sluice.resolution.cache.misses", resolver, r -> r.stats().misses(), "Resolution cache misses");
        Gauge.builder("sluice.resolution.cache.size", resolver, r -> r.stats().cachedContexts())
            .description("Contexts in the resolution cache").register(registry);
        Gauge.builder("sluice.bindings", resolver, r -> r.stats().bindings())
            .description("Bindings in force").register(registry);
    }

    private static <T> void counter(final MeterRegistry registry, final String name, final T source,
                                    final ToDoubleFunction<T> value, final String description) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    /** Interceptor names appear as bindings are used: register their meters before each scrape. */
    private synchronized void registerNewInterceptors() {
        for (final String name : interceptors.invocations().keySet()) {
            if (registeredInterceptors.add(name)) {
                final HookGuard.Invocations calls = interceptors.invocations().get(name);
                FunctionCounter.builder("sluice.interceptor.calls", calls, HookGuard.Invocations::calls)
                    .description("Hook calls per interceptor").tag("interceptor", name).register(registry);
                FunctionCounter.builder("sluice.interceptor.time", calls, c -> c.nanos() / 1e9)
                    .baseUnit("seconds").description("Time spent in hooks per interceptor")
                    .tag("interceptor", name).register(registry);
                FunctionCounter.builder("sluice.interceptor.errors", interceptors, e -> e.count(name))
                    .description("Hook failures per interceptor").tag("interceptor", name).register(registry);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        streamsMetrics.close();
        registry.close();
    }
}

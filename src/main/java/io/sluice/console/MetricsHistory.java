package io.sluice.console;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;

/**
 * Counters of a running instance sampled at a fixed interval, the last {@code capacity} samples kept: the
 * overview's charts of records per second by outcome and, per interceptor, calls and errors per second and time
 * per call. Sampling reads counters the data path keeps anyway, so an open console costs the records nothing.
 */
public final class MetricsHistory implements AutoCloseable {

    /** Every five seconds, the last six minutes. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** How far back the charts reach. */
    public static final Duration WINDOW = Duration.ofMinutes(6);
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHistory.class);

    /** Cumulative counters at one time. */
    public record Sample(long timeMillis, Map<String, Long> outcomes, Map<String, Interceptor> interceptors) {
        public Sample {
            outcomes = Map.copyOf(outcomes);
            interceptors = Map.copyOf(interceptors);
        }
    }

    /** One interceptor's cumulative hook calls, time in hooks ({@link #UNKNOWN} where it is not known) and failures. */
    public record Interceptor(long calls, long nanos, long errors) {
        /** The time in hooks of counters that do not know it (counted from the audit). */
        public static final long UNKNOWN = -1;
    }

    private final Supplier<Sample> source;
    private final String note;
    private final Duration interval;
    private final int capacity;
    private final ArrayDeque<Sample> samples;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "sluice-console-metrics");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Samples every {@code interval}, keeping the last {@link #WINDOW}.
     *
     * @param note where the counters come from, for the page (e.g. "Sampled every 5 s by the running instance.")
     */
    public MetricsHistory(final Supplier<Sample> source, final String note, final Duration interval) {
        this(source, note, interval, (int) Math.max(2, WINDOW.toMillis() / interval.toMillis()));
    }

    /** Samples every {@code interval}, keeping the last {@code capacity} samples. */
    public MetricsHistory(final Supplier<Sample> source, final String note, final Duration interval,
                          final int capacity) {
        this.source = source;
        this.note = note;
        this.interval = interval;
        this.capacity = capacity;
        this.samples = new ArrayDeque<>(capacity);
    }

    public MetricsHistory start() {
        sampler.scheduleAtFixedRate(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void sample() {
        try {
            final Sample sample = source.get();
            synchronized (samples) {
                if (samples.size() == capacity) {
                    samples.removeFirst();
                }
                samples.addLast(sample);
            }
        } catch (final RuntimeException e) {
            // A failed sample leaves a gap in the charts; it must not end the sampling.
            LOG.warn("console: cannot sample the metrics: {}", e.toString());
        }
    }

    /**
     * Rates between consecutive samples: {@code times} (epoch ms, the end of each interval), {@code outcomes}
     * {outcome: [records/s]}, {@code interceptors} {name: {calls: [/s], errors: [/s], microsPerCall: [µs or null]}},
     * and {@code totals} of the latest sample.
     */
    public ObjectNode toJson() {
        final List<Sample> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        final ObjectNode json = Json.object().put("intervalMillis", interval.toMillis()).put("note", note);
        final ArrayNode times = json.putArray("times");
        final ObjectNode outcomes = json.putObject("outcomes");
        final ObjectNode interceptors = json.putObject("interceptors");
        final TreeSet<String> outcomeNames = new TreeSet<>();
        final TreeSet<String> interceptorNames = new TreeSet<>();
        copy.forEach(sample -> {
            outcomeNames.addAll(sample.outcomes().keySet());
            interceptorNames.addAll(sample.interceptors().keySet());
        });
        outcomeNames.forEach(outcomes::putArray);
        for (final String name : interceptorNames) {
            final ObjectNode series = interceptors.putObject(name);
            series.putArray("calls");
            series.putArray("errors");
            series.putArray("microsPerCall");
        }
        final Iterator<Sample> iterator = copy.iterator();
        Sample previous = iterator.hasNext() ? iterator.next() : null;
        while (iterator.hasNext()) {
            final Sample current = iterator.next();
            final double seconds = Math.max(1, current.timeMillis() - previous.timeMillis()) / 1000.0;
            times.add(current.timeMillis());
            for (final String outcome : outcomeNames) {
                ((ArrayNode) outcomes.get(outcome)).add(rate(previous.outcomes().get(outcome),
                    current.outcomes().get(outcome), seconds));
            }
            for (final String name : interceptorNames) {
                final Interceptor before = previous.interceptors().getOrDefault(name, new Interceptor(0, 0, 0));
                final Interceptor after = current.interceptors().getOrDefault(name, before);
                final ObjectNode series = (ObjectNode) interceptors.get(name);
                final long calls = after.calls() - before.calls();
                ((ArrayNode) series.get("calls")).add(round(calls / seconds));
                ((ArrayNode) series.get("errors")).add(round((after.errors() - before.errors()) / seconds));
                final ArrayNode micros = (ArrayNode) series.get("microsPerCall");
                if (calls > 0 && after.nanos() != Interceptor.UNKNOWN) {
                    micros.add(round((after.nanos() - before.nanos()) / 1000.0 / calls));
                } else {
                    micros.addNull();
                }
            }
            previous = current;
        }
        final ObjectNode totals = json.putObject("totals");
        final Sample latest = previous;
        if (latest != null) {
            final ObjectNode records = totals.putObject("outcomes");
            latest.outcomes().forEach(records::put);
            final ObjectNode perInterceptor = totals.putObject("interceptors");
            new TreeSet<>(latest.interceptors().keySet()).forEach(name -> {
                final Interceptor counters = latest.interceptors().get(name);
                final ObjectNode totalsOf = perInterceptor.putObject(name).put("calls", counters.calls())
                    .put("errors", counters.errors());
                if (counters.nanos() == Interceptor.UNKNOWN) {
                    totalsOf.putNull("microsPerCall");
                } else {
                    totalsOf.put("microsPerCall",
                        counters.calls() == 0 ? 0 : round(counters.nanos() / 1000.0 / counters.calls()));
                }
            });
        }
        return json;
    }

    private static double rate(final Long before, final Long after, final double seconds) {
        return round(((after == null ? 0 : after) - (before == null ? 0 : before)) / seconds);
    }

    private static double round(final double value) {
        return Math.round(value * 100) / 100.0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}

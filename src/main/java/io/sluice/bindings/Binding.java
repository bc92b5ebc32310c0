package io.sluice.bindings;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.OnError;

/**
 * A valid binding: interceptor {@code id.name} at {@code id.scope} runs {@code plugin} with {@code priority}
 * and {@code config}. Only validated bindings are built; see {@link BindingValidator}.
 *
 * @param id       name and scope
 * @param plugin   a built-in plugin type or a custom factory's class name
 * @param priority lower runs first; &gt;= 0
 * @param topics   a Java regex the whole ingress topic must match, or {@code null} for all topics
 * @param onError  what a failing hook does; {@code null} means the plugin's default
 * @param config   the plugin config (an object node; empty when the resource has none)
 * @param parsedConfig the config as the plugin parsed it when the binding was read (a
 *                 {@link io.sluice.spi.TypedInterceptorFactory}'s record), or {@code null}: derived from
 *                 {@code config}, so not part of equality
 */
public record Binding(BindingId id, String plugin, int priority, Pattern topics, OnError onError, JsonNode config,
                      Object parsedConfig) {

    /** A binding whose config the plugin parses when an instance is created. */
    public Binding(final BindingId id, final String plugin, final int priority, final Pattern topics,
                   final OnError onError, final JsonNode config) {
        this(id, plugin, priority, topics, onError, config, null);
    }

    public String name() {
        return id.name();
    }

    public BindingScope scope() {
        return id.scope();
    }

    public ScopeLevel level() {
        return id.scope().level();
    }

    /** Whether this binding runs for records of that ingress topic ({@code null}: no topic, always runs). */
    public boolean appliesToTopic(final String topic) {
        return topics == null || topic == null || topics.matcher(topic).matches();
    }

    // Pattern has identity equality: compare bindings by the regex text.
    @Override
    public boolean equals(final Object other) {
        return other instanceof Binding that
            && id.equals(that.id) && plugin.equals(that.plugin) && priority == that.priority
            && topicsText().equals(that.topicsText()) && onError == that.onError && config.equals(that.config);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, plugin, priority, topicsText(), onError, config);
    }

    /** The {@code topics} regex as written, or an empty string when unset. */
    public String topicsText() {
        return topics == null ? "" : topics.pattern();
    }
}

package io.sluice.bindings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.OnError;

/** Plugins for validation tests, registered directly (no ServiceLoader file: the plugin code owns that). */
final class StubPlugins {

    static final String SECRET = "s3cr3t-value";

    private StubPlugins() {
    }

    static PluginRegistry registry() {
        return new PluginRegistry(List.of(new Headers(), new Masking(), new Broken()));
    }

    /** Like header-injection: {@code headers} (name to string) is required; nothing else is allowed. */
    static final class Headers extends Stub {

        Headers() {
            super("header-injection", OnError.SKIP);
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            final List<ConfigProblem> problems = new ArrayList<>();
            final JsonNode headers = config.get("headers");
            if (headers == null || !headers.isObject()) {
                problems.add(new ConfigProblem("headers", "is required: header name to template"));
            } else {
                for (final Map.Entry<String, JsonNode> header : headers.properties()) {
                    if (!header.getValue().isTextual()) {
                        problems.add(new ConfigProblem("headers." + header.getKey(), "must be a string template"));
                    }
                }
            }
            for (final Map.Entry<String, JsonNode> field : config.properties()) {
                if (!field.getKey().equals("headers")) {
                    problems.add(new ConfigProblem(field.getKey(), "unknown field"));
                }
            }
            return problems;
        }
    }

    /** Like field-masking: fails closed, accepts any config. */
    static final class Masking extends Stub {

        Masking() {
            super("field-masking", OnError.REJECT);
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            return List.of();
        }
    }

    /** A plugin with a bug: its validation throws, quoting the config. */
    static final class Broken extends Stub {

        Broken() {
            super("broken", OnError.SKIP);
        }

        @Override
        public List<ConfigProblem> validate(final JsonNode config) {
            throw new IllegalStateException("cannot handle " + config);
        }
    }

    abstract static class Stub implements InterceptorFactory {

        private final String type;
        private final OnError defaultOnError;

        Stub(final String type, final OnError defaultOnError) {
            this.type = type;
            this.defaultOnError = defaultOnError;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String description() {
            return "a test stub";
        }

        @Override
        public List<ConfigField> configFields() {
            return List.of();
        }

        @Override
        public OnError defaultOnError() {
            return defaultOnError;
        }

        @Override
        public Interceptor create(final InterceptorSetup setup) {
            return new Interceptor() {
            };
        }
    }
}

package io.sluice.plugins.headerinjection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;

/**
 * The {@code header-injection} config.
 *
 * @param headers   header name → parsed template, in the order written
 * @param overwrite whether a header the record already has is replaced; otherwise it is kept
 */
record HeaderInjectionConfig(Map<String, Template> headers, boolean overwrite) {

    static HeaderInjectionConfig read(final ConfigReader config) {
        final JsonNode given = config.node("headers");
        if (given == null) {
            config.problem("headers", "is required: a map of header names to value templates");
        } else if (given.isObject() && given.isEmpty()) {
            config.problem("headers", "must name at least one header");
        }
        final Map<String, String> texts = config.stringMap("headers");
        final Map<String, Template> templates = new LinkedHashMap<>();
        texts.forEach((name, text) -> {
            if (name.isBlank()) {
                config.problemAt(config.field("headers") + ".\"" + name + "\"", "a header name must not be blank");
                return;
            }
            try {
                templates.put(name, Template.parse(text));
            } catch (final IllegalArgumentException e) {
                config.problemAt(config.field("headers") + "." + name, e.getMessage());
            }
        });
        final boolean overwrite = config.bool("overwrite", false);
        config.rejectUnknownFields();
        return new HeaderInjectionConfig(Collections.unmodifiableMap(templates), overwrite);
    }
}

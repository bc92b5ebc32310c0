package io.sluice.plugins.headerinjection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.ConfigDoc;

/**
 * The {@code header-injection} config.
 *
 * @param headers   header name → parsed template, in the order written
 * @param overwrite whether a header the record already has is replaced; otherwise it is kept
 */
record HeaderInjectionConfig(
    @ConfigDoc(type = "map<string,string>", required = true, value = "header name -> value template; placeholders: "
        + Template.PLACEHOLDERS + " ({{user}} is empty for the anonymous user, {{groups}} is comma-separated and sorted,"
        + " {{timestamp}} is epoch milliseconds)") Map<String, Template> headers,
    @ConfigDoc(defaultValue = "false", value = "replace a header the record already has; when false the existing header"
        + " is kept") boolean overwrite) {

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

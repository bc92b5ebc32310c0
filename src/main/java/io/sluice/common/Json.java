package io.sluice.common;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The one place the project's JSON and YAML mappers are configured. Mappers are thread-safe. */
public final class Json {

    /** Compact JSON: one object per line for scripts. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    /** YAML for resources and {@code -o yaml}. */
    public static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())
        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .build();

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** One line of compact JSON. */
    public static String line(final JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Parses a JSON text, e.g. a binding config read back from the config topic. */
    public static JsonNode parse(final String text) throws com.fasterxml.jackson.core.JsonProcessingException {
        return MAPPER.readTree(text);
    }
}

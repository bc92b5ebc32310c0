package io.sluice.plugins.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigProblem;

/** The field plugins' valueFormat, as bindings are validated. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ValueFormatsTest {

    private final PluginRegistry plugins = PluginRegistry.load();

    @Test
    void everyRegistryFormatIsAcceptedByTheFieldPlugins() throws Exception {
        for (final String format : List.of("auto", "json", "confluent-avro", "confluent-json")) {
            assertEquals(List.of(), problems("field-masking", "{fields: [{path: a, strategy: ALL}], valueFormat: " + format + "}"));
            assertEquals(List.of(), problems("field-encryption", "{keyId: k, keyEnv: K, fields: [a], valueFormat: " + format + "}")
                .stream().filter(problem -> !problem.field().equals("keyEnv")).toList());
        }
    }

    @Test
    void anUnknownFormatOrRawAvroWithoutItsSchemaIsAProblem() throws Exception {
        assertEquals(List.of(new ConfigProblem("valueFormat", "'protobuf' is not one of auto, json, confluent-avro,"
            + " confluent-json, avro")), problems("field-masking", "{fields: [{path: a, strategy: ALL}], valueFormat: protobuf}"));
        assertEquals(List.of(new ConfigProblem("valueFormat", "avro needs the schema: set avroSchema or avroSchemaFile")),
            problems("field-masking", "{fields: [{path: a, strategy: ALL}], valueFormat: avro}"));
        assertEquals(List.of(new ConfigProblem("valueFormat", "'avro' is not one of auto, json, confluent-avro, confluent-json")),
            problems("field-decryption", "{keyId: k, keyEnv: K, fields: [a], valueFormat: avro}").stream()
                .filter(problem -> !problem.field().equals("keyEnv")).toList());
    }

    private List<ConfigProblem> problems(final String plugin, final String yaml) throws Exception {
        return plugins.find(plugin).orElseThrow().validate(Json.YAML.readTree(yaml));
    }
}

package io.sluice.plugins.schemavalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.common.Json;
import io.sluice.spi.ConfigProblem;

/** schema-validation against a registry subject: its config (the checks themselves run in RegistryFormatsIT). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubjectConfigTest {

    private final SchemaValidationFactory factory = new SchemaValidationFactory();

    @Test
    void aSubjectWithLatestAnyOrAVersionNumberIsValid() throws Exception {
        for (final String version : List.of("latest", "any", "3")) {
            assertEquals(List.of(), problems("{subject: orders-value, version: '" + version + "'}"));
        }
        assertEquals(List.of(), problems("{subject: orders-value}"), "version defaults to latest");
    }

    @Test
    void aSubjectExcludesAnInlineSchemaAndTheVersionMustBeOneOfThree() throws Exception {
        assertEquals(List.of(new ConfigProblem("subject", "a registry subject and an inline schema (schema / schemaFile)"
            + " exclude each other; keep one")), problems("{subject: orders-value, schema: {type: object}}"));
        assertEquals(List.of(new ConfigProblem("version", "'newest' is not latest, any or a version number (1, 2, ...)")),
            problems("{subject: orders-value, version: newest}"));
        assertEquals(List.of(new ConfigProblem("version", "is only for 'subject'")),
            problems("{schema: {type: object}, version: latest}"));
    }

    private List<ConfigProblem> problems(final String yaml) throws Exception {
        return factory.validate(Json.YAML.readTree(yaml));
    }
}

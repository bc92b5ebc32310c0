package io.sluice.plugins.schemavalidation;

import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.chain.ChainRecord;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;

class SchemaValidationTest {

    private static final String ORDER_SCHEMA = """
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "type": "object", "required": ["id", "amount"],
         "properties": {"id": {"type": "string"}, "amount": {"type": "number", "minimum": 0},
                        "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}},
         "$defs": {"line": {"type": "object", "required": ["sku"]}}}""";

    @TempDir
    Path folder;

    private final SchemaValidationFactory factory = new SchemaValidationFactory();

    private Interceptor create(final JsonNode config) {
        assertEquals(List.of(), factory.validate(config));
        return factory.create(new InterceptorSetup("validate", null, null, null, config));
    }

    private JsonNode inline() {
        final ObjectNode config = (ObjectNode) json("{}");
        config.set("schema", json(ORDER_SCHEMA));
        return config;
    }

    @Test
    void passesAValidValue() {
        // given
        final ChainRecord record = record("{\"id\": \"o-1\", \"amount\": 3.5, \"lines\": [{\"sku\": \"A\"}]}");

        // when
        create(inline()).onSend(record);

        // then
        assertFalse(record.isRejected());
    }

    @Test
    void rejectsAnInvalidValueWithTheValidatorsMessages() {
        // given
        final ChainRecord record = record("{\"id\": 7, \"amount\": -1, \"lines\": [{}]}");

        // when
        create(inline()).onSend(record);

        // then
        assertTrue(record.isRejected());
        final String reason = record.rejectionReason();
        assertTrue(reason.startsWith("the value does not match the schema: "), reason);
        assertTrue(reason.contains("/id: "), reason);
        assertTrue(reason.contains("/amount: "), reason);
        assertTrue(reason.contains("/lines/0: ") && reason.contains("sku"), reason);
    }

    @Test
    void rejectsAValueThatIsNotJsonAndPassesTombstones() {
        // given
        final Interceptor interceptor = create(inline());
        final ChainRecord text = record("id=7");
        final ChainRecord tombstone = record(null);

        // when
        interceptor.onSend(text);
        interceptor.onSend(tombstone);

        // then
        assertTrue(text.rejectionReason().startsWith("the value is not JSON"), text.rejectionReason());
        assertFalse(tombstone.isRejected());
    }

    @Test
    void readsTheSchemaFromAFile() throws Exception {
        // given
        final Path file = folder.resolve("order.schema.json");
        Files.writeString(file, ORDER_SCHEMA);
        final ObjectNode config = (ObjectNode) json("{}");
        config.put("schemaFile", file.toString());
        final ChainRecord record = record("{\"id\": \"o-1\"}");

        // when
        create(config).onSend(record);

        // then
        assertTrue(record.rejectionReason().contains("amount"), record.rejectionReason());
    }

    @Test
    void reportsASchemaThatIsNotValid() {
        // when
        final List<ConfigProblem> problems = factory.validate(json("{'schema': {'type': 'strin', 'minimum': 'zero'}}"));

        // then
        assertEquals(List.of("schema"), problems.stream().map(ConfigProblem::field).toList());
        assertTrue(problems.get(0).message().startsWith("is not a valid JSON Schema (draft 2020-12): "), problems.get(0).message());
        assertTrue(problems.get(0).message().contains("/type"), problems.get(0).message());
    }

    @Test
    void reportsAReferenceThatCannotBeResolvedWithoutFetchingIt() {
        // when
        final List<ConfigProblem> problems = factory.validate(json(
            "{'schema': {'type': 'object', 'properties': {'a': {'$ref': 'https://schemas.invalid/a.json'}}}}"));

        // then
        assertEquals(List.of("schema"), problems.stream().map(ConfigProblem::field).toList());
        assertTrue(problems.get(0).message().startsWith("cannot be compiled (remote $refs are not fetched): "), problems.get(0).message());
    }

    @Test
    void reportsMissingUnreadableAndDoubleSchemas() {
        // then
        assertEquals(List.of("schema"), fields("{}"));
        assertEquals(List.of("schema"), fields("{'schema': '{not json'}"));
        assertEquals(List.of("schema"), fields("{'schema': 3}"));
        // A schema file lives on the instances: read when one creates the interceptor, not when validating.
        assertEquals(List.of(), fields("{'schemaFile': '/no/such/schema.json'}"));
        assertEquals("schemaFile: cannot read '/no/such/schema.json': no such file", assertThrows(
            IllegalArgumentException.class, () -> factory.create(new InterceptorSetup("validate", null, null, null,
                json("{'schemaFile': '/no/such/schema.json'}")))).getMessage());
        assertEquals(List.of("schema"), fields("{'schema': {}, 'schemaFile': 'x.json'}"));
        assertEquals(List.of("schemas"), fields("{'schema': {}, 'schemas': {}}"));
    }

    @Test
    void aSchemaFileThatIsAFolderOrNotUtf8FailsTheCreationNamingTheField() throws Exception {
        // given: paths that are well formed (validation passes) but not readable as a schema on this instance
        final ObjectNode aFolder = json("{}").deepCopy();
        aFolder.put("schemaFile", folder.toString());
        final Path latin1 = Files.write(folder.resolve("latin1.json"), new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        final ObjectNode notUtf8 = json("{}").deepCopy();
        notUtf8.put("schemaFile", latin1.toString());

        // then
        assertEquals(List.of(), factory.validate(aFolder));
        assertEquals("schemaFile: '" + folder + "' is a folder, not a file", assertThrows(IllegalArgumentException.class,
            () -> factory.create(new InterceptorSetup("validate", null, null, null, aFolder))).getMessage());
        assertEquals("schemaFile: '" + latin1 + "' is not UTF-8 text", assertThrows(IllegalArgumentException.class,
            () -> factory.create(new InterceptorSetup("validate", null, null, null, notUtf8))).getMessage());
    }

    private List<String> fields(final String config) {
        return factory.validate(json(config)).stream().map(ConfigProblem::field).toList();
    }
}

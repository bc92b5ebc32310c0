package io.sluice.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.common.Json;
import io.sluice.spi.ConfigField;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.InterceptorFactory;
import io.sluice.spi.TypedInterceptorFactory;

/** What {@code sluice plugins} lists is what each built-in plugin's config reader accepts: one source, the record. */
@Timeout(30)
class PluginConfigFieldsTest {

    @Test
    void everyBuiltInPluginDocumentsExactlyTheFieldsItsConfigAccepts() {
        for (final InterceptorFactory factory : PluginRegistry.load().factories()) {
            // given
            final TypedInterceptorFactory<?> typed = assertInstanceOf(TypedInterceptorFactory.class, factory,
                factory.type() + " has a typed config");

            // when: a field nobody knows makes the reader list the fields it read
            final List<ConfigProblem> problems = factory.validate(Json.object().put("no-such-field", 1));
            final ConfigProblem unknown = problems.stream().filter(p -> p.field().equals("no-such-field")).findFirst()
                .orElseThrow(() -> new AssertionError(factory.type() + ": " + problems));
            final String known = unknown.message().substring(unknown.message().indexOf("known fields: ") + 14);
            final Set<String> accepted = new LinkedHashSet<>(Arrays.asList(known.split(", ")));

            // then
            final List<String> documented = typed.configFields().stream().map(ConfigField::name).toList();
            assertEquals(ConfigField.of(typed.configType()), factory.configFields(), factory.type());
            assertEquals(accepted, withoutRefusedSecretFields(new LinkedHashSet<>(documented), accepted),
                factory.type() + ": documented " + documented + ", accepted " + accepted);
            typed.configFields().forEach(field -> {
                assertFalse(field.description().isBlank(), factory.type() + "." + field.name());
                assertFalse(field.type().isBlank(), factory.type() + "." + field.name());
            });
        }
    }

    @Test
    void documentsRecordComponentsInOrderWithTheirTypesAndSecrecy() {
        // given
        record Sample(@io.sluice.spi.ConfigDoc(value = "a list", required = true) List<String> names,
                      @io.sluice.spi.ConfigDoc(name = "char", defaultValue = "*", value = "one character") String maskChar,
                      @io.sluice.spi.ConfigDoc("a number") double rate,
                      @io.sluice.spi.ConfigDoc(value = "a pin", secret = true) String pin,
                      Object derived) {
        }

        // when
        final List<ConfigField> fields = ConfigField.of(Sample.class);

        // then
        assertEquals(List.of(new ConfigField("names", "list<string>", true, null, "a list"),
            new ConfigField("char", "string", false, "*", "one character"),
            new ConfigField("rate", "number", false, null, "a number"),
            new ConfigField("pin", "string", false, null, "a pin", true)), fields);
        assertTrue(fields.stream().noneMatch(field -> field.name().equals("derived")));
    }

    /**
     * The inline-secret fields (key, salt) are read only to refuse them, with a better message than "unknown": they
     * are accepted names, not documented ones.
     */
    private static Set<String> withoutRefusedSecretFields(final Set<String> documented, final Set<String> accepted) {
        final Set<String> expected = new LinkedHashSet<>(documented);
        List.of("key", "salt").stream().filter(accepted::contains).forEach(expected::add);
        return expected;
    }
}

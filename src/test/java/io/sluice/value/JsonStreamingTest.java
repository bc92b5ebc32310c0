package io.sluice.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.sluice.common.Json;
import io.sluice.spi.FieldEdits;
import io.sluice.spi.FieldPath;
import io.sluice.spi.ValueCodec;

@Timeout(30)
class JsonStreamingTest {

    @Test
    void editedStringsAreWrittenAsJacksonsGeneratorWritesThemForEveryCharacterOfTheBmp() throws Exception {
        for (int from = 0; from < 0x10000; from += 64) {
            final StringBuilder text = new StringBuilder("a\"b");
            for (int c = from; c < from + 64; c++) {
                if (!Character.isSurrogate((char) c)) {
                    text.append((char) c);
                }
            }
            final ByteArrayBuilder out = new ByteArrayBuilder();

            assertTrue(JsonScan.writeCompact(out, text.toString()), "no surrogate: written");

            assertEquals(new String(Json.MAPPER.writeValueAsBytes(text.toString()), StandardCharsets.UTF_8),
                new String(out.toByteArray(), StandardCharsets.UTF_8), "characters from U+" + Integer.toHexString(from));
        }
    }

    @Test
    void aStringBeyondTheBmpIsLeftToTheGenerator() {
        final ByteArrayBuilder out = new ByteArrayBuilder();

        assertFalse(JsonScan.writeCompact(out, "card \uD83D\uDE00"), "a surrogate pair: the generator decides");
        assertEquals(0, out.size(), "nothing written");
    }


    private static final FieldEdits UPPER_NUMBER = FieldEdits.builder()
        .replace(FieldPath.parse("card.number"), field -> field.setString(field.text().toUpperCase(java.util.Locale.ROOT)))
        .build();

    @Test
    void scansExactlyJacksonsCompactFormWithoutAParser() throws Exception {
        // given
        final String compact = Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(
            "{\"a\": [1, -2, 1.5, 1.0E10, true, null, \"q\\\"b\\\\s\\n\\u0001é\"], \"b\": {}, \"card\": {\"number\": \"x\"}}"));
        final ByteArrayBuilder buffer = new ByteArrayBuilder();

        // then
        assertNotNull(JsonScan.splice(bytes(compact), UPPER_NUMBER, buffer), compact);
        for (final String other : List.of("{\"a\": 1}", "{\"a\":1.50}", "{\"a\":-0}", "{\"a\":1e2}", "{\"a\":\"\\u0041\"}",
            "{\"a\":\"\\/\"}", "{\"a\":\"\\u000a\"}", "{\"a\":\"\\u001f\"}", "{\"a\":\"😀\"}", "\"text\"", "{\"a\":1}\n",
            "{\"a\":1,\"a\":2}", "{\"a\":tru}", "[1,]", "{\"a\":1")) {
            assertNull(JsonScan.splice(bytes(other), UPPER_NUMBER, buffer), other);
        }
        // a key longer than the scan vouches for (Jackson's limit is 50,000): Jackson decides
        final String longKey = "{\"" + "k".repeat(40_000) + "\":1,\"card\":{\"number\":\"x\"}}";
        assertNull(JsonScan.splice(bytes(longKey), UPPER_NUMBER, buffer));
        assertEquals(1, JsonStreaming.edit(bytes(longKey), UPPER_NUMBER).selected());
    }

    @Test
    void splicesACompactValueAndRewritesAnyOtherAsTheTreeWould() {
        for (final String value : List.of("{\"id\":1,\"card\":{\"number\":\"ab\\\"c\",\"cvv\":\"1\"},\"n\":1.5}",
            "{ \"id\" : 1, \"card\" : { \"number\" : \"ab\\u0022c\" , \"cvv\":\"1\"}, \"n\": 1.50 }")) {
            // when
            final ValueCodec.Streamed streamed = JsonStreaming.edit(bytes(value), UPPER_NUMBER);

            // then
            assertEquals(1, streamed.selected());
            assertEquals("{\"id\":1,\"card\":{\"number\":\"AB\\\"C\",\"cvv\":\"1\"},\"n\":1.5}",
                new String(streamed.value(), StandardCharsets.UTF_8), value);
        }
    }

    @Test
    void aValueCheckedAndThenEditedIsEditedAsAnUncheckedOne() {
        for (final String value : List.of("{\"id\":1,\"card\":{\"number\":\"ab\\\"c\",\"cvv\":\"1\"},\"n\":1.5}",
            "{ \"card\" : { \"number\" : \"ab\" } }", "{\"card\":{\"number\":\"a\",\"number\":\"b\"}}",
            "[{\"card\":{\"number\":\"x\"}}]")) {
            // given: the check's scan leaves a tape for a value in the compact form
            final ValueCodec.Streamed unchecked = JsonStreaming.edit(bytes(value), UPPER_NUMBER);
            final byte[] checked = bytes(value);
            JsonCodec.INSTANCE.check(checked);

            // when
            final ValueCodec.Streamed streamed = JsonStreaming.edit(checked, UPPER_NUMBER);

            // then
            if (unchecked == null) {
                assertNull(streamed, value); // duplicate keys: the check accepts them, the tree decides the edit
            } else {
                assertEquals(unchecked.selected(), streamed.selected(), value);
                assertEquals(new String(unchecked.value(), StandardCharsets.UTF_8),
                    new String(streamed.value(), StandardCharsets.UTF_8), value);
            }
        }
    }

    @Test
    void leavesTheBytesAloneWhenNothingIsSelectedAndHandsDuplicatesAndBrokenValuesToTheTree() {
        // given
        final byte[] spaced = bytes("{ \"card\" : { \"cvv\" : 1 } }");

        // then
        assertSame(spaced, JsonStreaming.edit(spaced, UPPER_NUMBER).value());
        assertNull(JsonStreaming.edit(bytes("{\"card\":{\"number\":\"a\",\"number\":\"b\"}}"), UPPER_NUMBER));
        assertNull(JsonStreaming.edit(bytes("{\"card\":{\"number\":\"a\"}"), UPPER_NUMBER));
        assertNull(JsonStreaming.edit(bytes("{\"card\":{\"number\":\"a\"}} 2"), UPPER_NUMBER));
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

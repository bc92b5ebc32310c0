package io.sluice.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The quick format check never says yes where Jackson says no, and says yes to the documents producers write:
 * random documents (every way JSON is written, duplicate keys, broken ones) and random byte mutations of them.
 */
class JsonScanProperties {

    private static final byte[] INTERESTING = "{}[]\",:\\ \t\n0123456789-+.eEtrufalsn/u".getBytes(StandardCharsets.UTF_8);

    @Property(tries = 4000)
    void whatItAcceptsJacksonAccepts(@ForAll final long seed) {
        final Random random = new Random(seed);
        final RandomJson json = new RandomJson(random, random.nextBoolean());
        byte[] mutations = json.document(random.nextInt(3) == 0).getBytes(StandardCharsets.UTF_8);
        for (int m = random.nextInt(4); m > 0; m--) {
            mutations = mutated(random, mutations);
        }
        final byte[] value = mutations;

        if (JsonScan.accepts(value)) {
            assertTrue(JsonStreaming.parsesWithJackson(value),
                () -> "accepted what Jackson refuses: " + new String(value, StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 2000)
    void itAcceptsEveryWellFormedDocumentWithoutSurrogateEscapes(@ForAll final long seed) {
        final Random random = new Random(seed);
        final String text = new RandomJson(random, random.nextBoolean()).document(false);
        final byte[] value = text.getBytes(StandardCharsets.UTF_8);

        if (!text.toLowerCase(java.util.Locale.ROOT).contains("\\ud")) {
            assertEquals(JsonStreaming.parsesWithJackson(value), JsonScan.accepts(value), text);
        }
    }

    @Example
    void theEdgesOfJsonAreJacksonsToDecide() {
        for (final String yes : new String[] {"{}", "[]", "0", "-0", "1.5e-3", " {\"a\" : [1, true, null]} \n",
            "\"\\u00e9\\/\"", "\"é😀\"", "{\"a\":1,\"a\":2}"}) {
            assertTrue(JsonScan.accepts(yes.getBytes(StandardCharsets.UTF_8)), yes);
        }
        for (final String no : new String[] {"", " ", "01", "+1", ".5", "1.", "1e", "[1,]", "{\"a\"}", "{a:1}",
            "tru", "truex", "1 2", "{} x", "\"\u0001\"", "\"\\x\"", "\"\\ud800\"", "[1]]", "\"open", "// c\n1",
            "\uFEFF{}", "NaN"}) {
            assertFalse(JsonScan.accepts(no.getBytes(StandardCharsets.UTF_8)), no);
        }
        // Not UTF-8 in its shortest form, or too deep for the quick check: Jackson decides.
        assertFalse(JsonScan.accepts(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'}));
        assertFalse(JsonScan.accepts(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        final String deep = "[".repeat(JsonScan.MAX_DEPTH + 1) + "]".repeat(JsonScan.MAX_DEPTH + 1);
        assertFalse(JsonScan.accepts(deep.getBytes(StandardCharsets.UTF_8)));
        assertTrue(JsonStreaming.wellFormed(deep.getBytes(StandardCharsets.UTF_8)), "Jackson takes it");
    }

    @Example
    void aStringsPlainRunStopsAtEveryByteThatEndsIt() {
        // Every byte value at every position of a string's plain run, against Jackson.
        for (int position = 0; position < 18; position++) {
            for (int b = 0; b < 256; b++) {
                final byte[] value = ("{\"k\":\"" + "a".repeat(20) + "\"}").getBytes(StandardCharsets.US_ASCII);
                value[6 + position] = (byte) b;
                final boolean plain = b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
                final String text = "byte " + b + " at " + position;
                assertEquals(plain, JsonStreaming.parsesWithJackson(value), text);
                assertEquals(plain, JsonScan.accepts(value), text);
            }
        }
    }

    private static byte[] mutated(final Random random, final byte[] value) {
        if (value.length == 0) {
            return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
        }
        final int at = random.nextInt(value.length);
        final byte b = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)];
        return switch (random.nextInt(3)) {
            case 0 -> {
                final byte[] copy = value.clone();
                copy[at] = b;
                yield copy;
            }
            case 1 -> {
                final byte[] shorter = new byte[value.length - 1];
                System.arraycopy(value, 0, shorter, 0, at);
                System.arraycopy(value, at + 1, shorter, at, value.length - at - 1);
                yield shorter;
            }
            default -> {
                final byte[] longer = Arrays.copyOf(value, value.length + 1);
                System.arraycopy(value, at, longer, at + 1, value.length - at);
                longer[at] = b;
                yield longer;
            }
        };
    }
}

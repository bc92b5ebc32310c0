package io.sluice.spi;

import static io.sluice.plugins.support.TestRecords.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

class FieldPathTest {

    @Test
    void parsesNamesEveryElementAndIndexes() {
        // when
        final FieldPath path = FieldPath.parse("orders[*].lines[0].sku");

        // then
        assertEquals(List.of("orders", FieldPath.EVERY_ELEMENT, "lines", 0, "sku"), path.segments());
        assertEquals("orders[*].lines[0].sku", path.toString());
        assertEquals(List.of(FieldPath.EVERY_ELEMENT, "id"), FieldPath.parse("[*].id").segments());
    }

    @Test
    void refusesMalformedPaths() {
        for (final String bad : List.of("", " ", "a..b", ".a", "a.", "a[", "a[-1]", "a[x]", "a[*]b", "a]")) {
            assertThrows(IllegalArgumentException.class, () -> FieldPath.parse(bad), bad);
        }
    }

    @Test
    void changesEverySelectedValueAndCountsThem() {
        // given
        final JsonNode tree = json("{'items': [{'sku': 'a'}, {'sku': 'b'}, {'qty': 1}, 'x'], 'card': 'flat'}");

        // when
        final int every = FieldPath.parse("items[*].sku").apply(tree, value -> TextNode.valueOf(value.textValue().toUpperCase()));
        final int one = FieldPath.parse("items[1].sku").apply(tree, value -> TextNode.valueOf(value.textValue() + "!"));
        final int none = FieldPath.parse("card.number").apply(tree, value -> TextNode.valueOf("never"));
        final int outOfRange = FieldPath.parse("items[9].sku").apply(tree, value -> TextNode.valueOf("never"));

        // then
        assertEquals(2, every);
        assertEquals(1, one);
        assertEquals(0, none);
        assertEquals(0, outOfRange);
        assertEquals(json("{'items': [{'sku': 'A'}, {'sku': 'B!'}, {'qty': 1}, 'x'], 'card': 'flat'}"), tree);
    }
}

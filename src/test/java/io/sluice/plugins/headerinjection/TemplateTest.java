package io.sluice.plugins.headerinjection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.chain.ChainRecord;
import io.sluice.spi.RecordContext;

/** Templates render straight to bytes; the result is what rendering through strings gave. */
@Timeout(30)
class TemplateTest {

    @Test
    void listsEveryPlaceholder() {
        assertEquals(Template.Placeholder.names(), Template.PLACEHOLDERS);
    }

    @Test
    void rendersEveryPlaceholderAsUtf8() {
        // given
        final RecordContext context = new RecordContext("päyments", "zoë", new TreeSet<>(Set.of("b", "a")), "orders.eu",
            3, -42L, Long.MAX_VALUE);
        final ChainRecord record = new ChainRecord(context, null, null, new RecordHeaders());
        record.interceptorName("tag-€");

        // when
        final String rendered = new String(Template.parse("{{vcluster}}/{{user}}/{{groups}}/{{topic}}-{{partition}}"
            + "@{{offset}}:{{timestamp}} {{interceptor}} é").render(record), StandardCharsets.UTF_8);
        final String uuid = new String(Template.parse("{{uuid}}").render(record), StandardCharsets.UTF_8);

        // then
        assertEquals("päyments/zoë/a,b/orders.eu-3@-42:" + Long.MAX_VALUE + " tag-€ é", rendered);
        assertEquals(uuid, UUID.fromString(uuid).toString());
        assertEquals(4, UUID.fromString(uuid).version());
        assertEquals(2, UUID.fromString(uuid).variant());
    }

    @Test
    void rendersLongValuesBeyondTheScratchBuffer() {
        // given
        final String user = "u".repeat(1000);
        final ChainRecord record = new ChainRecord(new RecordContext("v", user, Set.of(), "t", 0, 0L, 0L), null, null,
            new RecordHeaders());

        // then
        assertEquals(user + user, new String(Template.parse("{{user}}{{user}}").render(record), StandardCharsets.UTF_8));
        assertTrue(new String(Template.parse("x{{partition}}").render(record), StandardCharsets.UTF_8).equals("x0"));
    }
}

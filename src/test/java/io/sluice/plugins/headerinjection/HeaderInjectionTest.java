package io.sluice.plugins.headerinjection;

import static io.sluice.plugins.support.TestRecords.header;
import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.chain.ChainRecord;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

class HeaderInjectionTest {

    private final HeaderInjectionFactory factory = new HeaderInjectionFactory();

    private Interceptor create(final String config) {
        final JsonNode node = json(config);
        assertEquals(List.of(), factory.validate(node));
        return factory.create(new InterceptorSetup("add-headers", null, null, null, node));
    }

    @Test
    void rendersEveryPlaceholderFromTheRecordContext() {
        // given
        final Interceptor interceptor = create("""
            {'headers': {
              'x-user': '{{user}}', 'x-vcluster': '{{vcluster}}', 'x-groups': '{{groups}}',
              'x-where': '{{topic}}/{{partition}}@{{offset}}', 'x-time': 'ts={{timestamp}}',
              'x-by': '{{ interceptor }}', 'x-id': '{{uuid}}', 'x-static': 'sluice'}}""");
        final ChainRecord record = record("{}");

        // when
        interceptor.onSend(record);

        // then
        assertEquals("alice", header(record, "x-user"));
        assertEquals("payments", header(record, "x-vcluster"));
        assertEquals("admins,analysts", header(record, "x-groups"));
        assertEquals("orders.eu/3@42", header(record, "x-where"));
        assertEquals("ts=1700000000000", header(record, "x-time"));
        assertEquals("test-interceptor", header(record, "x-by"));
        assertEquals("sluice", header(record, "x-static"));
        assertEquals(4, UUID.fromString(header(record, "x-id")).version());
    }

    @Test
    void givesEachRecordItsOwnUuid() {
        // given
        final Interceptor interceptor = create("{'headers': {'x-id': '{{uuid}}'}}");
        final ChainRecord first = record("{}");
        final ChainRecord second = record("{}");

        // when
        interceptor.onSend(first);
        interceptor.onSend(second);

        // then
        assertNotEquals(header(first, "x-id"), header(second, "x-id"));
    }

    @Test
    void rendersTheAnonymousUserAndNoGroupsAsEmpty() {
        // given
        final Interceptor interceptor = create("{'headers': {'x-user': '{{user}}', 'x-groups': '{{groups}}'}}");
        final ChainRecord record = TestRecords.record(
            new RecordContext("default", null, Set.of(), "t", 0, 0L, 0L), "{}".getBytes(StandardCharsets.UTF_8));

        // when
        interceptor.onSend(record);

        // then
        assertEquals("", header(record, "x-user"));
        assertEquals("", header(record, "x-groups"));
    }

    @Test
    void keepsAnExistingHeaderByDefault() {
        // given
        final Interceptor interceptor = create("{'headers': {'x-team': 'platform'}}");
        final ChainRecord record = record("{}");
        record.headers().add("x-team", "payments".getBytes(StandardCharsets.UTF_8));

        // when
        interceptor.onSend(record);

        // then
        final Header[] headers = record.headers().toArray();
        assertEquals(1, headers.length);
        assertArrayEquals("payments".getBytes(StandardCharsets.UTF_8), headers[0].value());
    }

    @Test
    void replacesEveryExistingHeaderOfThatNameWithOverwrite() {
        // given
        final Interceptor interceptor = create("{'headers': {'x-team': 'platform'}, 'overwrite': true}");
        final ChainRecord record = record("{}");
        record.headers().add("x-team", "a".getBytes(StandardCharsets.UTF_8));
        record.headers().add("x-team", "b".getBytes(StandardCharsets.UTF_8));

        // when
        interceptor.onSend(record);

        // then
        final Header[] headers = record.headers().toArray();
        assertEquals(1, headers.length);
        assertEquals("platform", header(record, "x-team"));
    }

    @Test
    void reportsAnUnknownPlaceholderNamingTheHeader() {
        // when
        final List<ConfigProblem> problems = factory.validate(json("{'headers': {'x-ok': '{{user}}', 'x-bad': 'a-{{usr}}'}}"));

        // then
        assertEquals(1, problems.size());
        assertEquals("headers.x-bad", problems.get(0).field());
        assertTrue(problems.get(0).message().contains("{{usr}}"), problems.get(0).message());
    }

    @Test
    void reportsAnUnclosedPlaceholder() {
        // when
        final List<ConfigProblem> problems = factory.validate(json("{'headers': {'x-bad': 'a-{{user'}}"));

        // then
        assertEquals(List.of("headers.x-bad"), problems.stream().map(ConfigProblem::field).toList());
    }

    @Test
    void reportsEveryProblemWithItsField() {
        // when
        final List<ConfigProblem> problems = factory.validate(json("{'headers': {'x-n': 3}, 'overwrite': 'yes', 'overwirte': true}"));

        // then
        assertEquals(List.of("headers.x-n", "overwrite", "overwirte"), problems.stream().map(ConfigProblem::field).toList());
    }

    @Test
    void requiresAtLeastOneHeader() {
        // then
        assertEquals(List.of("headers"), factory.validate(json("{}")).stream().map(ConfigProblem::field).toList());
        assertEquals(List.of("headers"), factory.validate(json("{'headers': {}}")).stream().map(ConfigProblem::field).toList());
        assertEquals(List.of("headers"), factory.validate(json("{'headers': ['x']}")).stream().map(ConfigProblem::field).toList());
    }

    @Test
    void documentsEveryFieldItReads() {
        // then
        assertEquals(List.of("headers", "overwrite"), factory.configFields().stream().map(f -> f.name()).toList());
    }
}

package io.sluice.plugins.producepolicy;

import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.chain.ChainRecord;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;

class ProducePolicyTest {

    private static final String ALL_RULES =
        "'requireKey': true, 'requiredHeaders': ['x-team', 'x-trace'], 'maxValueBytes': 10, 'valueFormat': 'json'";

    private final ProducePolicyFactory factory = new ProducePolicyFactory();

    private Interceptor create(final String config) {
        assertEquals(List.of(), factory.validate(json(config)));
        return factory.create(new InterceptorSetup("policy", null, null, null, json(config)));
    }

    private static ChainRecord offending() {
        final ChainRecord record = record("not json, and long");
        record.key(null);
        record.headers().add("x-team", "a".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void blocksARecordWithEveryViolationInTheReason() {
        // given
        final Interceptor interceptor = create("{" + ALL_RULES + "}");
        final ChainRecord record = offending();

        // when
        interceptor.onSend(record);

        // then
        assertTrue(record.isRejected());
        assertEquals("the record has no key; the record has no 'x-trace' header; the value is 18 bytes, over"
            + " maxValueBytes 10; the value is not JSON (line 1, column 5)", record.rejectionReason(),
            "the reason says where the value breaks, never what it holds");
    }

    @Test
    void reportsViolationsAndLetsTheRecordPassWithInfo() {
        // given
        final Interceptor interceptor = create("{" + ALL_RULES + ", 'action': 'INFO'}");
        final ChainRecord record = offending();

        // when
        interceptor.onSend(record);

        // then
        assertFalse(record.isRejected());
        assertEquals(4, record.violations().size());
        assertEquals(List.of("test-interceptor", "the record has no key"), Arrays.asList(record.violations().get(0)));
    }

    @Test
    void passesAConformingRecordAndTombstones() {
        // given
        final Interceptor interceptor = create("{" + ALL_RULES + "}");
        final ChainRecord good = record("{\"a\":1}");
        good.headers().add("x-team", new byte[0]).add("x-trace", new byte[0]);
        final ChainRecord tombstone = record(null);
        tombstone.headers().add("x-team", new byte[0]).add("x-trace", new byte[0]);

        // when
        interceptor.onSend(good);
        interceptor.onSend(tombstone);

        // then
        assertFalse(good.isRejected());
        assertFalse(tombstone.isRejected());
        assertTrue(good.violations().isEmpty());
    }

    @Test
    void treatsAnEmptyKeyAsNoKey() {
        // given
        final ChainRecord record = record("{}");
        record.key(new byte[0]);

        // when
        create("{'requireKey': true}").onSend(record);

        // then
        assertEquals("the record has no key", record.rejectionReason());
    }

    @Test
    void reportsEveryConfigProblem() {
        // when
        final List<String> fields = factory.validate(json(
            "{'requireKey': 'yes', 'requiredHeaders': 'x', 'maxValueBytes': 0, 'valueFormat': 'xml', 'action': 'WARN', 'other': 1}"))
            .stream().map(ConfigProblem::field).toList();

        // then
        assertEquals(List.of("requireKey", "requiredHeaders", "maxValueBytes", "valueFormat", "action", "other"), fields);
        assertEquals(List.of(new ConfigProblem("", "sets no rule: set requireKey, requiredHeaders, maxValueBytes or valueFormat: json")),
            factory.validate(json("{'action': 'INFO'}")));
    }
}

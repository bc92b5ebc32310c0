package io.sluice.plugins.headerremoval;

import static io.sluice.plugins.support.TestRecords.json;
import static io.sluice.plugins.support.TestRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.chain.ChainRecord;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;

class HeaderRemovalTest {

    private final HeaderRemovalFactory factory = new HeaderRemovalFactory();

    private Interceptor create(final String config) {
        final JsonNode node = json(config);
        assertEquals(List.of(), factory.validate(node));
        return factory.create(new InterceptorSetup("strip", null, null, null, node));
    }

    private static ChainRecord withHeaders(final String... names) {
        final ChainRecord record = record("{}");
        for (final String name : names) {
            record.headers().add(name, name.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static List<String> names(final ChainRecord record) {
        return Arrays.stream(record.headers().toArray()).map(Header::key).toList();
    }

    @Test
    void removesEveryHeaderWhoseWholeNameMatches() {
        // given
        final Interceptor interceptor = create("{'pattern': 'x-internal-.*'}");
        final ChainRecord record = withHeaders("x-internal-a", "keep", "x-internal-b", "my-x-internal-c", "x-internal-a");

        // when
        interceptor.onSend(record);

        // then: a partial match ("my-x-internal-c") is not a match
        assertEquals(List.of("keep", "my-x-internal-c"), names(record));
    }

    @Test
    void givesTheSameAnswerForANameSeenBefore() {
        // given
        final Interceptor interceptor = create("{'pattern': 'secret|token'}");
        final ChainRecord first = withHeaders("secret", "trace");
        final ChainRecord second = withHeaders("trace", "token", "secret");

        // when
        interceptor.onSend(first);
        interceptor.onSend(second);

        // then
        assertEquals(List.of("trace"), names(first));
        assertEquals(List.of("trace"), names(second));
    }

    @Test
    void leavesARecordWithoutMatchingHeadersAlone() {
        // given
        final Interceptor interceptor = create("{'pattern': 'x-.*'}");
        final ChainRecord record = withHeaders("a", "b");

        // when
        interceptor.onSend(record);

        // then
        assertEquals(List.of("a", "b"), names(record));
    }

    @Test
    void reportsAnInvalidRegex() {
        // when
        final List<ConfigProblem> problems = factory.validate(json("{'pattern': 'x-(.*'}"));

        // then
        assertEquals(List.of("pattern"), problems.stream().map(ConfigProblem::field).toList());
        assertTrue(problems.get(0).message().startsWith("is not a valid Java regex"), problems.get(0).message());
    }

    @Test
    void requiresAPattern() {
        // then
        assertEquals(List.of("pattern"), factory.validate(json("{}")).stream().map(ConfigProblem::field).toList());
        assertEquals(List.of("pattern"), factory.validate(json("{'pattern': ''}")).stream().map(ConfigProblem::field).toList());
        assertEquals(List.of("pattern", "patterns"),
            factory.validate(json("{'pattern': 1, 'patterns': ['a']}")).stream().map(ConfigProblem::field).toList());
    }
}

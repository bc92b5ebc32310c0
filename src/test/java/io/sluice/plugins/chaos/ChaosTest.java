package io.sluice.plugins.chaos;

import static io.sluice.plugins.support.TestRecords.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sluice.chain.ChainRecord;
import io.sluice.common.Json;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.ConfigProblem;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

class ChaosTest {

    private static final byte[] VALUE = "{\"order\": 1, \"amount\": 12.5}".getBytes(StandardCharsets.UTF_8);

    private final ChaosFactory factory = new ChaosFactory();

    private Interceptor create(final String config) {
        assertEquals(List.of(), factory.validate(json(config)));
        return factory.create(new InterceptorSetup("chaos", null, null, null, json(config)));
    }

    /** For offsets 0..n-1: "d" duplicated, "c" corrupted, "dc" both, "" neither. */
    private static List<String> run(final Interceptor chaos, final int n) {
        final List<String> hits = new ArrayList<>(n);
        for (int offset = 0; offset < n; offset++) {
            final ChainRecord record = TestRecords.record(
                new RecordContext("default", "alice", Set.of(), "orders", 2, offset, 0L), VALUE.clone());
            chaos.onSend(record);
            hits.add((record.duplicates() > 0 ? "d" : "") + (java.util.Arrays.equals(record.value(), VALUE) ? "" : "c"));
        }
        return hits;
    }

    @Test
    void hitsTheSameRecordsOnEveryRunWithTheSameSeed() {
        // when
        final List<String> first = run(create("{'duplicatePercent': 20, 'corruptPercent': 10, 'seed': 42}"), 2000);
        final List<String> second = run(create("{'duplicatePercent': 20, 'corruptPercent': 10, 'seed': 42}"), 2000);
        final List<String> otherSeed = run(create("{'duplicatePercent': 20, 'corruptPercent': 10, 'seed': 43}"), 2000);

        // then
        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void hitsAboutTheConfiguredShare() {
        // when
        final List<String> hits = run(create("{'duplicatePercent': 20, 'corruptPercent': 10, 'seed': 7}"), 10_000);

        // then
        final long duplicated = hits.stream().filter(hit -> hit.contains("d")).count();
        final long corrupted = hits.stream().filter(hit -> hit.contains("c")).count();
        assertTrue(duplicated > 1800 && duplicated < 2200, "duplicated " + duplicated);
        assertTrue(corrupted > 850 && corrupted < 1150, "corrupted " + corrupted);
    }

    @Test
    void hitsEveryRecordAtOneHundredPercentAndNoneAtZero() {
        // then
        assertTrue(run(create("{'duplicatePercent': 100}"), 100).stream().allMatch("d"::equals));
        assertTrue(run(create("{'corruptPercent': 100, 'duplicatePercent': 0}"), 100).stream().allMatch("c"::equals));
    }

    @Test
    void corruptsValuesSoThatTheyNoLongerParse() {
        // when
        final byte[] corrupted = ChaosInterceptor.corrupt(VALUE);

        // then
        assertEquals(VALUE.length / 2, corrupted.length);
        assertThrows(Exception.class, () -> Json.MAPPER.readTree(corrupted));
        assertArrayEquals(new byte[] {(byte) 0xff}, ChaosInterceptor.corrupt(new byte[0]));
    }

    @Test
    void reportsEveryConfigProblem() {
        // then
        assertEquals(List.of(new ConfigProblem("", "does nothing: set duplicatePercent or corruptPercent above 0")),
            factory.validate(json("{}")));
        assertEquals(List.of("duplicatePercent", "corruptPercent", "seed", "ratio"), factory.validate(
                json("{'duplicatePercent': 101, 'corruptPercent': '5', 'seed': 1.5, 'ratio': 1}"))
            .stream().map(ConfigProblem::field).toList());
    }
}

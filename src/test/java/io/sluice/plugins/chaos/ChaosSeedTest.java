package io.sluice.plugins.chaos;

import static io.sluice.plugins.support.TestRecords.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sluice.chain.ChainRecord;
import io.sluice.plugins.support.TestRecords;
import io.sluice.spi.ClockAndSeed;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;

/** The seed a setup gives ({@code sluice test}) stands in for a missing config seed; a config seed wins. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ChaosSeedTest {

    private static final byte[] VALUE = "{\"order\": 1}".getBytes(StandardCharsets.UTF_8);
    private final ChaosFactory factory = new ChaosFactory();

    private Interceptor create(final String config, final ClockAndSeed clockAndSeed) {
        return factory.create(new InterceptorSetup("chaos", null, null, null, json(config), clockAndSeed));
    }

    private static List<String> hits(final Interceptor chaos) {
        final List<String> hits = new ArrayList<>();
        for (int offset = 0; offset < 500; offset++) {
            final ChainRecord record = TestRecords.record(
                new RecordContext("default", "alice", Set.of(), "orders", 0, offset, 0L), VALUE.clone());
            chaos.onSend(record);
            hits.add((record.duplicates() > 0 ? "d" : "") + (Arrays.equals(record.value(), VALUE) ? "" : "c"));
        }
        return hits;
    }

    @Test
    void theSetupsSeedActsAsTheConfigsSeedWouldAndTheConfigsWins() {
        final ClockAndSeed seven = new ClockAndSeed(() -> 0L, 7L);
        final List<String> bySetup = hits(create("{'duplicatePercent': 30, 'corruptPercent': 30}", seven));

        assertEquals(bySetup, hits(create("{'duplicatePercent': 30, 'corruptPercent': 30}", seven)));
        assertEquals(bySetup, hits(create("{'duplicatePercent': 30, 'corruptPercent': 30, 'seed': 7}",
            ClockAndSeed.SYSTEM)));
        assertEquals(hits(create("{'duplicatePercent': 30, 'corruptPercent': 30, 'seed': 8}", ClockAndSeed.SYSTEM)),
            hits(create("{'duplicatePercent': 30, 'corruptPercent': 30, 'seed': 8}", seven)));
        assertNotEquals(bySetup, hits(create("{'duplicatePercent': 30, 'corruptPercent': 30, 'seed': 8}", seven)));
    }
}

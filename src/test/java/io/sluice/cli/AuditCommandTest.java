package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

class AuditCommandTest {

    @ParameterizedTest
    @CsvSource({"10m, PT10M", "2h, PT2H", "30s, PT30S", "500ms, PT0.5S", "7d, PT168H", "1w, PT168H",
        "1h30m, PT1H30M", "PT5M, PT5M", "pt5m, PT5M", "P1DT2H, PT26H", " 2H , PT2H"})
    void sinceTakesShortUnitsAndIso8601(final String text, final String expected) {
        assertEquals(Duration.parse(expected), AuditCommand.SinceConverter.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "m", "10x", "-5m", "0s", "PT0S", "PT-5M", "1.5h", "99999999999999999999d", "P"})
    void sinceRefusesAnythingElseWithAOneLineMessage(final String text) {
        final CommandLine.TypeConversionException refused = assertThrows(CommandLine.TypeConversionException.class,
            () -> AuditCommand.SinceConverter.parse(text));
        assertEquals(1, refused.getMessage().lines().count());
    }
}

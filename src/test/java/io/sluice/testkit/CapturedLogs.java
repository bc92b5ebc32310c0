package io.sluice.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the test JVM logs while open — io.sluice down to DEBUG, Kafka's INFO with its config dumps — for tests
 * that search the logs for what must never show, such as key material ({@link #forms}).
 */
public final class CapturedLogs implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;

    private CapturedLogs() {
        final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("captured-logs-" + System.identityHashCode(this))
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().withPattern("%level %c{1} - %msg %throwable%n").build()).build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        Configurator.setLevel("io.sluice", Level.DEBUG);
        Configurator.setLevel("org.apache.kafka", Level.INFO);
        context.updateLoggers();
    }

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    /** What was logged so far. */
    public String text() {
        return text.toString();
    }

    /** Adds a line of the test's own to the captured text (e.g. a configuration's {@code toString}). */
    public void append(final String line) {
        text.append(line).append('\n');
    }

    @Override
    public void close() {
        final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        Configurator.setLevel("io.sluice", Level.INFO);
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        appender.stop();
        context.updateLoggers();
    }

    /**
     * The forms a secret could show in: as written; when it is base64, its bytes in hex (lower and upper case) and
     * as raw bytes (ISO-8859-1 text of binary records).
     */
    public static List<String> forms(final String secret) {
        final List<String> forms = new ArrayList<>(List.of(secret));
        try {
            forms.addAll(forms(Base64.getDecoder().decode(secret)));
        } catch (final IllegalArgumentException notBase64) {
            // only the text itself
        }
        return forms;
    }

    /** Fails naming the place when any of {@code forms} shows in any of the texts (place: text). */
    public static void assertAbsent(final List<String> forms, final Map<String, String> texts) {
        texts.forEach((where, text) -> forms.forEach(form ->
            assertFalse(text.contains(form), () -> "key material in " + where + ":\n" + text)));
    }

    /** The forms key bytes could show in: base64, hex (lower and upper case), raw bytes as ISO-8859-1 text. */
    public static List<String> forms(final byte[] key) {
        return List.of(Base64.getEncoder().encodeToString(key), HexFormat.of().formatHex(key),
            HexFormat.of().withUpperCase().formatHex(key), new String(key, StandardCharsets.ISO_8859_1));
    }
}

package io.sluice.policytest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The JUnit XML report CI servers read (Jenkins, GitLab, GitHub Actions reporters): one {@code <testsuite>} per test
 * resource, one {@code <testcase>} per case ({@code classname} the test, {@code name} the case), a failing case with
 * a {@code <failure>} whose message is the case's FAIL line and whose text lists each difference, and the case's
 * acknowledgement events in {@code <system-out>}. Written with the JDK's StAX writer, which escapes the text.
 */
public final class JUnitReport {

    private JUnitReport() {
    }

    public static void write(final Path file, final List<PolicyTestRunner.CaseResult> results) throws IOException {
        final Map<PolicyTest, List<PolicyTestRunner.CaseResult>> bySuite = new LinkedHashMap<>();
        results.forEach(result -> bySuite.computeIfAbsent(result.test(), test -> new java.util.ArrayList<>()).add(result));
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            final XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "sluice test");
            xml.writeAttribute("tests", Integer.toString(results.size()));
            xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> !r.passed()).count()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("time", seconds(results.stream().mapToLong(PolicyTestRunner.CaseResult::nanos).sum()));
            final String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "");
            for (final Map.Entry<PolicyTest, List<PolicyTestRunner.CaseResult>> suite : bySuite.entrySet()) {
                writeSuite(xml, suite.getKey(), suite.getValue(), timestamp);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (final XMLStreamException e) {
            throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
        }
    }

    private static void writeSuite(final XMLStreamWriter xml, final PolicyTest test,
                                   final List<PolicyTestRunner.CaseResult> results, final String timestamp)
        throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", test.name());
        xml.writeAttribute("tests", Integer.toString(results.size()));
        xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> !r.passed()).count()));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", "0");
        xml.writeAttribute("time", seconds(results.stream().mapToLong(PolicyTestRunner.CaseResult::nanos).sum()));
        xml.writeAttribute("timestamp", timestamp);
        xml.writeAttribute("hostname", hostname());
        xml.writeAttribute("file", test.source().replaceAll("#\\d+$", ""));
        for (final PolicyTestRunner.CaseResult result : results) {
            xml.writeCharacters("\n    ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", test.name());
            xml.writeAttribute("name", result.testCase().name());
            xml.writeAttribute("time", seconds(result.nanos()));
            if (!result.passed()) {
                xml.writeCharacters("\n      ");
                xml.writeStartElement("failure");
                xml.writeAttribute("message", String.join("; ", result.differences()));
                xml.writeAttribute("type", "PolicyTestFailure");
                xml.writeCharacters(String.join("\n", result.differences()));
                xml.writeEndElement();
            }
            if (!result.ackEvents().isEmpty()) {
                xml.writeCharacters("\n      ");
                xml.writeStartElement("system-out");
                xml.writeCharacters(String.join("\n", result.ackEvents()));
                xml.writeEndElement();
            }
            xml.writeCharacters("\n    ");
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    private static String seconds(final long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "localhost";
        }
    }
}

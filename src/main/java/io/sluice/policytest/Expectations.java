package io.sluice.policytest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.bindings.Binding;
import io.sluice.chain.RecordOutcome;
import io.sluice.common.Json;

/**
 * Compares what became of a case's record with its expectations. Each difference is one short text, expected
 * against actual — {@code value.card.number: expected "************1111", got "4111111111111111"} — naming the
 * field as the test file names it.
 */
final class Expectations {

    /** More differences of one JSON value than this are summed up: a wrong value should not flood the output. */
    private static final int MAX_VALUE_DIFFERENCES = 5;
    private static final int MAX_TEXT = 120;

    private Expectations() {
    }

    /** Every difference; empty when the case passes. */
    static List<String> differences(final Expectation expect, final String topic, final List<PolicyTestRunner.Hop> hops) {
        final List<String> differences = new ArrayList<>();
        compare(expect, "", topic, hops, differences);
        return differences;
    }

    private static void compare(final Expectation expect, final String prefix, final String topic,
                                final List<PolicyTestRunner.Hop> hops, final List<String> differences) {
        final PolicyTestRunner.Hop hop = hops.stream()
            .filter(candidate -> candidate.outcome().context().topic().equals(topic))
            .findFirst().orElse(null);
        if (hop == null) {
            differences.add(prefix.isEmpty() ? "the record was not processed (no route took it)"
                : prefix.substring(0, prefix.length() - 1) + ": expected a next hop, but no route reads '" + topic
                + "'");
            return;
        }
        final RecordOutcome outcome = hop.outcome();
        final TestRecord<byte[], byte[]> record = hop.written().isEmpty() ? null : hop.written().get(0);
        if (expect.outcome() != null && expect.outcome() != outcome.outcome()) {
            differences.add(prefix + "outcome: expected " + expect.outcome() + ", got " + outcome.outcome()
                + why(outcome));
        }
        if (expect.chain() != null) {
            final List<String> chain = outcome.chain().interceptors().stream().map(Binding::name).toList();
            if (!expect.chain().equals(chain)) {
                differences.add(prefix + "chain: expected " + expect.chain() + ", got " + chain);
            }
        }
        if (expect.egressTopic() != null && !expect.egressTopic().equals(hop.topic())) {
            differences.add(prefix + "egressTopic: expected " + expect.egressTopic() + ", got " + hop.topic() + why(outcome));
        }
        if (expect.keySet()) {
            final String key = record == null || record.key() == null ? null : readable(record.key());
            if (!Objects.equals(expect.key(), key)) {
                differences.add(prefix + "key: expected " + quoted(expect.key()) + ", got " + quoted(key));
            }
        }
        if (expect.valueSet()) {
            compareValue(prefix, expect.value(), record == null ? null : record.value(), differences);
        }
        final Headers headers = record == null ? null : record.headers();
        if (expect.headers() != null) {
            expect.headers().forEach((name, value) -> {
                final String actual = header(headers, name);
                if (!value.equals(actual)) {
                    differences.add(prefix + "headers." + name + ": expected " + quoted(value) + ", got "
                        + (actual == null ? "no such header" : quoted(actual)));
                }
            });
        }
        if (expect.headersMatching() != null) {
            for (final Map.Entry<String, Pattern> entry : expect.headersMatching().entrySet()) {
                final String actual = header(headers, entry.getKey());
                if (actual == null || !entry.getValue().matcher(actual).matches()) {
                    differences.add(prefix + "headersMatching." + entry.getKey() + ": expected a value matching "
                        + entry.getValue().pattern() + ", got " + (actual == null ? "no such header" : quoted(actual)));
                }
            }
        }
        if (expect.absentHeaders() != null) {
            for (final String name : expect.absentHeaders()) {
                final String actual = header(headers, name);
                if (actual != null) {
                    differences.add(prefix + "absentHeaders: expected no header " + name + ", got " + quoted(actual));
                }
            }
        }
        final RecordOutcome.Failure failure = outcome.failure();
        if (expect.rejectedBy() != null) {
            final String by = failure == null ? null : failure.interceptor() == null ? "sluice" : failure.interceptor();
            if (!expect.rejectedBy().equals(by)) {
                differences.add(prefix + "rejectedBy: expected " + expect.rejectedBy() + ", got "
                    + (by == null ? "none (" + outcome.outcome() + ")" : by + why(outcome)));
            }
        }
        if (expect.reason() != null) {
            final String reason = failure == null ? null : failure.message();
            if (reason == null || !reason.contains(expect.reason())) {
                differences.add(prefix + "reason: expected a reason containing " + quoted(expect.reason()) + ", got "
                    + (reason == null ? "none (" + outcome.outcome() + ")" : quoted(reason)));
            }
        }
        if (expect.violations() != null) {
            compareViolations(prefix, expect.violations(), outcome.violations(), differences);
        }
        if (expect.then() != null) {
            if (outcome.outcome() != io.sluice.spi.Outcome.ACKNOWLEDGED) {
                differences.add(prefix + "then: expected a next hop, but the record was " + outcome.outcome()
                    + why(outcome));
            } else {
                compare(expect.then(), prefix + "then.", hop.topic(), hops, differences);
            }
        }
    }

    /** Why a record was not acknowledged, for messages: {@code  (rejected by mask: ...)}. */
    private static String why(final RecordOutcome outcome) {
        final RecordOutcome.Failure failure = outcome.failure();
        if (failure == null) {
            return "";
        }
        return " (" + (failure.interceptor() == null ? "by sluice" : "by " + failure.interceptor()) + ": "
            + cut(failure.message()) + ")";
    }

    private static void compareValue(final String prefix, final JsonNode expected, final byte[] actual,
                                     final List<String> differences) {
        final String field = prefix + "value";
        if (expected == null || expected.isNull()) {
            if (actual != null) {
                differences.add(field + ": expected no value (null), got " + quoted(readable(actual)));
            }
            return;
        }
        if (actual == null) {
            differences.add(field + ": expected " + show(expected) + ", got no value (null)");
            return;
        }
        if (expected.isTextual()) {
            final String text = readable(actual);
            if (!expected.textValue().equals(text)) {
                differences.add(field + ": expected " + quoted(expected.textValue()) + ", got " + quoted(text));
            }
            return;
        }
        final JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(actual);
        } catch (final java.io.IOException e) {
            differences.add(field + ": expected " + show(expected) + ", got a value that is not JSON: "
                + quoted(readable(actual)));
            return;
        }
        final List<String> found = new ArrayList<>();
        diff(field, expected, tree, found);
        if (found.size() > MAX_VALUE_DIFFERENCES) {
            final int more = found.size() - MAX_VALUE_DIFFERENCES;
            found.subList(MAX_VALUE_DIFFERENCES, found.size()).clear();
            found.add("and " + more + " more difference(s) in " + field);
        }
        differences.addAll(found);
    }

    /** The differences between two JSON trees, one per differing leaf, missing field or extra field. */
    private static void diff(final String path, final JsonNode expected, final JsonNode actual, final List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            final Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (final String name : names) {
                final JsonNode e = expected.get(name);
                final JsonNode a = actual.get(name);
                final String child = path + "." + name;
                if (e == null) {
                    out.add(child + ": expected no such field, got " + show(a));
                } else if (a == null) {
                    out.add(child + ": expected " + show(e) + ", got no such field");
                } else {
                    diff(child, e, a, out);
                }
            }
            return;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                out.add(path + ": expected " + expected.size() + " element(s) " + show(expected) + ", got "
                    + actual.size() + " " + show(actual));
                return;
            }
            final Iterator<JsonNode> a = actual.elements();
            int i = 0;
            for (final JsonNode e : expected) {
                diff(path + "[" + i++ + "]", e, a.next(), out);
            }
            return;
        }
        if (!sameValue(expected, actual)) {
            out.add(path + ": expected " + show(expected) + ", got " + show(actual));
        }
    }

    /** Equal JSON values; numbers compare by value ({@code 42} equals {@code 42.0}, as JSON readers take them). */
    private static boolean sameValue(final JsonNode expected, final JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    private static void compareViolations(final String prefix, final List<String> expected,
                                          final List<RecordOutcome.Violation> reported, final List<String> differences) {
        final List<String> messages = reported.stream().map(v -> v.interceptor() + ": " + v.message()).toList();
        final List<String> unmatched = new ArrayList<>(messages);
        final List<String> missing = new ArrayList<>();
        for (final String substring : expected) {
            final String match = unmatched.stream().filter(message -> message.contains(substring)).findFirst()
                .orElse(null);
            if (match == null) {
                missing.add(substring);
            } else {
                unmatched.remove(match);
            }
        }
        if (!missing.isEmpty() || !unmatched.isEmpty()) {
            differences.add(prefix + "violations: expected " + expected.size() + " matching " + quotedAll(expected)
                + ", got " + messages.size() + " " + quotedAll(messages)
                + (missing.isEmpty() ? "" : "; none matches " + quotedAll(missing)));
        }
    }

    /** The last value of a header as text, or {@code null} when absent. */
    private static String header(final Headers headers, final String name) {
        if (headers == null) {
            return null;
        }
        final Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : readable(header.value());
    }

    /** UTF-8 text, or hex when the bytes are not UTF-8. */
    static String readable(final byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
    }

    private static String show(final JsonNode node) {
        return cut(Json.line(node));
    }

    private static String quoted(final String text) {
        return text == null ? "null" : "\"" + cut(text) + "\"";
    }

    private static String quotedAll(final List<String> texts) {
        return texts.stream().map(Expectations::quoted).toList().toString();
    }

    private static String cut(final String text) {
        final String line = text.replaceAll("\\R", " ");
        return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "..." : line;
    }
}

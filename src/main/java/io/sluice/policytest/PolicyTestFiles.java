package io.sluice.policytest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Document;
import io.sluice.common.Documents;
import io.sluice.common.Problem;
import io.sluice.spi.Outcome;
import io.sluice.topology.IdentityHeaders;
import io.sluice.topology.IdentitySignature;
import io.sluice.topology.Routing;

/**
 * Reads and validates {@code kind: InterceptorTest} resources with the one resource reader ({@link Documents}),
 * in the style of binding validation: every problem of every file at once, each naming the file, the test, the
 * case and the field, e.g. {@code tests/masking.yaml#1 (card-masking) case 'alice': spec.cases[0].expect.outcome:
 * must be ACKNOWLEDGED, REJECTED or FAILED}. A given topic must be one a route reads, and a signing key file must
 * be readable: the test would not run otherwise.
 */
public final class PolicyTestFiles {

    public static final String API_VERSION = "sluice/v1";
    public static final String KIND = "InterceptorTest";

    /** The rule of binding names ({@code metadata.name}), for test names too. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,128}");
    private static final int MAX_REPEAT = 100_000;

    private static final List<String> TOP_FIELDS = List.of("apiVersion", "kind", "metadata", "spec");
    private static final List<String> METADATA_FIELDS = List.of("name");
    private static final List<String> SPEC_FIELDS = List.of("cases");
    private static final List<String> CASE_FIELDS = List.of("name", "given", "expect");
    private static final List<String> GIVEN_FIELDS = List.of("topic", "user", "groups", "vcluster", "key", "headers",
        "value", "timestamp", "signKeyFile", "repeat");
    private static final List<String> EXPECT_FIELDS = List.of("outcome", "chain", "egressTopic", "key", "value",
        "headers", "headersMatching", "absentHeaders", "rejectedBy", "reason", "violations", "then");

    /** Valid tests and no problems, or the problems. */
    public record Result(List<PolicyTest> tests, List<Problem> problems) {

        public Result {
            tests = List.copyOf(tests);
            problems = List.copyOf(problems);
        }

        public boolean isValid() {
            return problems.isEmpty();
        }
    }

    private final Routing routing;

    /** @param routing the routes of the topology the tests run on: every given topic must have one */
    public PolicyTestFiles(final Routing routing) {
        this.routing = routing;
    }

    /** Reads every file or folder; the tests in the order read. */
    public Result read(final List<Path> filesOrFolders) {
        final List<Problem> problems = new ArrayList<>();
        final List<PolicyTest> tests = new ArrayList<>();
        final Map<String, String> names = new LinkedHashMap<>();
        for (final Path path : filesOrFolders) {
            final Documents.ReadResult read = Documents.read(path);
            problems.addAll(read.problems());
            for (final Document document : read.documents()) {
                final PolicyTest test = validate(document, problems);
                if (test == null) {
                    continue;
                }
                final String other = names.putIfAbsent(test.name(), test.source());
                if (other != null) {
                    problems.add(new Problem(test.source() + " (" + test.name() + ")", "metadata.name",
                        "another test has this name, at " + other));
                } else {
                    tests.add(test);
                }
            }
        }
        return new Result(problems.isEmpty() ? tests : List.of(), problems);
    }

    /** One resource: the test, or {@code null} with its problems added. */
    PolicyTest validate(final Document document, final List<Problem> problems) {
        final JsonNode resource = document.content();
        final JsonNode nameNode = resource.path("metadata").path("name");
        final boolean named = nameNode.isTextual() && NAME.matcher(nameNode.textValue()).matches();
        final Check check = new Check(document.source() + (named ? " (" + nameNode.textValue() + ")" : ""), problems);
        final int before = problems.size();
        if (!resource.isObject()) {
            check.problem("", "a test must be an object with apiVersion, kind, metadata and spec");
            return null;
        }
        check.unknownFields(resource, "", TOP_FIELDS);
        check.requireText(resource, "apiVersion", API_VERSION);
        check.requireText(resource, "kind", KIND);
        final JsonNode metadata = resource.get("metadata");
        if (!isSet(metadata) || !metadata.isObject()) {
            check.problem("metadata", "is required, with a name");
        } else {
            check.unknownFields(metadata, "metadata.", METADATA_FIELDS);
            if (!named) {
                check.problem("metadata.name", isSet(metadata.get("name"))
                    ? "must be 1 to 128 characters of a-z, A-Z, 0-9, '.', '_' and '-'" : "is required");
            }
        }
        final List<PolicyTest.TestCase> cases = cases(check, resource.get("spec"));
        return problems.size() == before ? new PolicyTest(nameNode.textValue(), document.source(), cases) : null;
    }

    private List<PolicyTest.TestCase> cases(final Check check, final JsonNode spec) {
        if (!isSet(spec) || !spec.isObject()) {
            check.problem("spec", "is required, with cases");
            return List.of();
        }
        check.unknownFields(spec, "spec.", SPEC_FIELDS);
        final JsonNode cases = spec.get("cases");
        if (!isSet(cases) || !cases.isArray() || cases.isEmpty()) {
            check.problem("spec.cases", "is required: a list of at least one case with name, given and expect");
            return List.of();
        }
        final List<PolicyTest.TestCase> valid = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            final JsonNode node = cases.get(i);
            final String path = "spec.cases[" + i + "]";
            final JsonNode name = node.path("name");
            final boolean named = name.isTextual() && !name.textValue().isBlank();
            final Check caseCheck = check.inCase(named ? "case '" + name.textValue() + "'" : "case " + (i + 1));
            if (!node.isObject()) {
                caseCheck.problem(path, "must be an object with name, given and expect");
                continue;
            }
            caseCheck.unknownFields(node, path + ".", CASE_FIELDS);
            final int before = check.problems.size();
            if (!named) {
                caseCheck.problem(path + ".name", isSet(node.get("name")) ? "must be non-empty text" : "is required");
            } else if (!names.add(name.textValue())) {
                caseCheck.problem(path + ".name", "another case of this test has this name");
            }
            final Given given = given(caseCheck, path + ".given", node.get("given"));
            final Expectation expect = expectation(caseCheck, path + ".expect", node.get("expect"));
            if (check.problems.size() == before) {
                valid.add(new PolicyTest.TestCase(name.textValue(), given, expect));
            }
        }
        return valid;
    }

    private Given given(final Check check, final String path, final JsonNode given) {
        if (!isSet(given) || !given.isObject()) {
            check.problem(path, "is required: the record, with at least its topic");
            return null;
        }
        check.unknownFields(given, path + ".", GIVEN_FIELDS);
        final String topic = check.text(given, path, "topic");
        if (topic == null && !isSet(given.get("topic"))) {
            check.problem(path + ".topic", "is required: the ingress topic");
        } else if (topic != null && !routing.subscription().matcher(topic).matches()) {
            check.problem(path + ".topic", "no route of the topology reads '" + topic + "'");
        }
        final String user = check.text(given, path, "user");
        final List<String> groups = check.texts(given, path, "groups");
        final String vcluster = check.text(given, path, "vcluster");
        final String key = check.text(given, path, "key");
        final Map<String, String> headers = check.textMap(given, path, "headers");
        if (headers != null) {
            for (final String identity : List.of(IdentityHeaders.USER, IdentityHeaders.GROUPS,
                IdentityHeaders.VCLUSTER, IdentitySignature.HEADER)) {
                if (headers.containsKey(identity) && isSet(given.get(fieldFor(identity)))) {
                    check.problem(path + ".headers." + identity, "set " + fieldFor(identity) + " or this header, "
                        + "not both");
                }
            }
        }
        Long timestamp = null;
        final JsonNode time = given.get("timestamp");
        if (isSet(time)) {
            if (time.isIntegralNumber() && time.canConvertToLong() && time.longValue() >= 0) {
                timestamp = time.longValue();
            } else {
                check.problem(path + ".timestamp", "must be an integer >= 0: epoch milliseconds");
            }
        }
        Path signKeyFile = null;
        final String keyFile = check.text(given, path, "signKeyFile");
        if (keyFile != null) {
            try {
                signKeyFile = Path.of(keyFile);
                IdentitySignature.fromFile(signKeyFile);
            } catch (final IllegalArgumentException e) {
                check.problem(path + ".signKeyFile", e.getMessage());
            }
        }
        int repeat = 1;
        final JsonNode times = given.get("repeat");
        if (isSet(times)) {
            if (times.isIntegralNumber() && times.canConvertToInt() && times.intValue() >= 1
                && times.intValue() <= MAX_REPEAT) {
                repeat = times.intValue();
            } else {
                check.problem(path + ".repeat", "must be an integer from 1 to " + MAX_REPEAT);
            }
        }
        final JsonNode value = given.get("value");
        return new Given(topic, user, groups, vcluster, key, headers == null ? Map.of() : headers,
            isSet(value) ? value : null, timestamp, signKeyFile, repeat);
    }

    private static String fieldFor(final String header) {
        return switch (header) {
            case IdentityHeaders.USER -> "user";
            case IdentityHeaders.GROUPS -> "groups";
            case IdentityHeaders.VCLUSTER -> "vcluster";
            default -> "signKeyFile";
        };
    }

    private static Expectation expectation(final Check check, final String path, final JsonNode expect) {
        if (!isSet(expect) || !expect.isObject() || expect.isEmpty()) {
            check.problem(path, "is required, with at least one of " + String.join(", ", EXPECT_FIELDS));
            return null;
        }
        check.unknownFields(expect, path + ".", EXPECT_FIELDS);
        Outcome outcome = null;
        final String outcomeText = check.text(expect, path, "outcome");
        if (outcomeText != null) {
            try {
                outcome = Outcome.valueOf(outcomeText.toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                check.problem(path + ".outcome", "must be ACKNOWLEDGED, REJECTED or FAILED");
            }
        }
        final Map<String, String> matching = check.textMap(expect, path, "headersMatching");
        Map<String, Pattern> patterns = null;
        if (matching != null) {
            patterns = new LinkedHashMap<>();
            for (final Map.Entry<String, String> entry : matching.entrySet()) {
                try {
                    patterns.put(entry.getKey(), Pattern.compile(entry.getValue()));
                } catch (final PatternSyntaxException e) {
                    check.problem(path + ".headersMatching." + entry.getKey(), "is not a valid Java regex: "
                        + e.getDescription());
                }
            }
        }
        final JsonNode then = expect.get("then");
        final Expectation next = isSet(then) ? expectation(check, path + ".then", then) : null;
        final JsonNode key = expect.get("key");
        final JsonNode value = expect.get("value");
        return new Expectation(outcome, check.texts(expect, path, "chain"), check.text(expect, path, "egressTopic"),
            key != null, check.text(expect, path, "key"), value != null, value, check.textMap(expect, path, "headers"),
            patterns, check.texts(expect, path, "absentHeaders"), check.text(expect, path, "rejectedBy"),
            check.text(expect, path, "reason"), check.texts(expect, path, "violations"), next);
    }

    /** JSON null counts as unset, as in bindings: YAML writes {@code key:} with nothing after it that way. */
    private static boolean isSet(final JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    /** The problems of one resource (or case), all with its source. */
    private static final class Check {

        private final String source;
        private final List<Problem> problems;

        Check(final String source, final List<Problem> problems) {
            this.source = source;
            this.problems = problems;
        }

        Check inCase(final String label) {
            return new Check(source + " " + label, problems);
        }

        void problem(final String field, final String message) {
            problems.add(new Problem(source, field.isEmpty() ? null : field, message));
        }

        void unknownFields(final JsonNode object, final String prefix, final List<String> known) {
            object.fieldNames().forEachRemaining(field -> {
                if (!known.contains(field)) {
                    problem(prefix + field, "unknown field (expected " + String.join(", ", known) + ")");
                }
            });
        }

        void requireText(final JsonNode object, final String field, final String expected) {
            final JsonNode value = object.get(field);
            if (!isSet(value)) {
                problem(field, "is required: " + expected);
            } else if (!value.isTextual() || !expected.equals(value.textValue())) {
                problem(field, "must be " + expected);
            }
        }

        /** Text, or a number or boolean written without quotes (YAML); {@code null} when unset or not scalar. */
        String text(final JsonNode object, final String path, final String field) {
            final JsonNode value = object.get(field);
            if (!isSet(value)) {
                return null;
            }
            if (!value.isValueNode()) {
                problem(path + "." + field, "must be text");
                return null;
            }
            return value.asText();
        }

        List<String> texts(final JsonNode object, final String path, final String field) {
            final JsonNode value = object.get(field);
            if (!isSet(value)) {
                return null;
            }
            if (!value.isArray()) {
                problem(path + "." + field, "must be a list of text");
                return null;
            }
            final List<String> texts = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                final JsonNode element = value.get(i);
                if (!element.isValueNode() || element.isNull()) {
                    problem(path + "." + field + "[" + i + "]", "must be text");
                } else {
                    texts.add(element.asText());
                }
            }
            return List.copyOf(texts);
        }

        Map<String, String> textMap(final JsonNode object, final String path, final String field) {
            final JsonNode value = object.get(field);
            if (!isSet(value)) {
                return null;
            }
            if (!value.isObject()) {
                problem(path + "." + field, "must be a map of header names to text");
                return null;
            }
            final Map<String, String> map = new LinkedHashMap<>();
            value.properties().forEach(entry -> {
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    problem(path + "." + field + "." + entry.getKey(), "must be text");
                } else {
                    map.put(entry.getKey(), entry.getValue().asText());
                }
            });
            return map;
        }
    }
}

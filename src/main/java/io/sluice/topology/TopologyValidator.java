package io.sluice.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import org.apache.kafka.common.internals.Topic;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Problem;
import io.sluice.registry.SchemaRegistrySettings;
import io.sluice.keys.DekScope;
import io.sluice.keys.KeyringSpec;
import io.sluice.topology.TopologyFile.AuditTopics;

/**
 * Checks one topology document field by field and builds the {@link TopologyFile}, or collects every problem
 * (not just the first) with the field it is about. One instance per document.
 */
final class TopologyValidator {

    private static final Set<String> FIELDS = Set.of(
        "applicationId", "configTopic", "auditTopics", "rejectedTopic", "processingGuarantee", "routes",
        "schemaRegistry", "replication", "keyTopic", "keyrings");
    private static final Set<String> KEYRING_FIELDS = Set.of("kekFile", "kekEnv", "dekScope");
    private static final Pattern KEYRING_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> REPLICATION_FIELDS = Set.of("factor", "minInsyncReplicas");
    private static final Set<String> AUDIT_FIELDS = Set.of("acks", "commits", "ackEvents");
    private static final Set<String> ROUTE_FIELDS = Set.of("ingress", "egress", "vcluster", "vclusterFrom",
        "identity", "identityKeyFile", "identityKeyEnv");
    private static final String IDENTITY_SIGNED = "signed";
    private static final String IDENTITY_UNSIGNED = "unsigned";
    private static final String VCLUSTER_FROM_HEADER = "header";

    private final String source;
    private final List<Problem> problems = new ArrayList<>();

    TopologyValidator(final String source) {
        this.source = source;
    }

    TopologyFiles.Result validate(final JsonNode root) {
        if (!root.isObject()) {
            problem(null, "a topology file is one object with the fields " + new TreeSet<>(FIELDS));
            return result(null);
        }
        unknownFields(root, "", FIELDS);
        final String applicationId = text(root, "applicationId", "", TopologyFile.DEFAULT_APPLICATION_ID);
        if (applicationId != null) {
            // Streams uses it as group id, transactional-id prefix and internal-topic prefix.
            Topic.validate(applicationId, "an application id (a prefix of topic names)", reason -> problem("applicationId", reason));
        }
        final Map<String, String> ownTopics = new LinkedHashMap<>();
        final String configTopic = ownTopic(root, "configTopic", "", TopologyFile.DEFAULT_CONFIG_TOPIC, ownTopics);
        final AuditTopics auditTopics = auditTopics(root, ownTopics);
        final String rejectedTopic = ownTopic(root, "rejectedTopic", "", TopologyFile.DEFAULT_REJECTED_TOPIC, ownTopics);
        final String keyTopic = ownTopic(root, "keyTopic", "", TopologyFile.DEFAULT_KEY_TOPIC, ownTopics);
        final Map<String, KeyringSpec> keyrings = keyrings(root);
        final ProcessingGuarantee guarantee = processingGuarantee(root);
        final List<CompiledRoute> routes = routes(root, ownTopics);
        final SchemaRegistrySettings registry = SchemaRegistrySettings.read(root.get("schemaRegistry"), System::getenv,
            (field, message) -> problem(field.isEmpty() ? "schemaRegistry" : "schemaRegistry." + field, message));
        final TopologyFile.Replication replication = replication(root);
        if (!problems.isEmpty()) {
            return result(null);
        }
        return result(new TopologyFile(applicationId, configTopic, auditTopics, rejectedTopic, guarantee,
            routes.stream().map(CompiledRoute::route).toList(), registry, replication, keyTopic, keyrings));
    }

    private TopologyFiles.Result result(final TopologyFile topology) {
        return new TopologyFiles.Result(topology, List.copyOf(problems));
    }

    // ---- the topics Sluice owns

    private AuditTopics auditTopics(final JsonNode root, final Map<String, String> ownTopics) {
        final JsonNode node = root.get("auditTopics");
        if (node == null || node.isNull()) {
            ownTopic("auditTopics.acks", AuditTopics.DEFAULT.acks(), ownTopics);
            ownTopic("auditTopics.commits", AuditTopics.DEFAULT.commits(), ownTopics);
            return AuditTopics.DEFAULT;
        }
        if (!node.isObject()) {
            problem("auditTopics", "must be an object with the fields " + new TreeSet<>(AUDIT_FIELDS));
            return null;
        }
        unknownFields(node, "auditTopics.", AUDIT_FIELDS);
        return new AuditTopics(
            ownTopic(node, "acks", "auditTopics.", AuditTopics.DEFAULT.acks(), ownTopics),
            ownTopic(node, "commits", "auditTopics.", AuditTopics.DEFAULT.commits(), ownTopics),
            ackEvents(node));
    }

    private TopologyFile.AckEvents ackEvents(final JsonNode auditTopics) {
        final String value = text(auditTopics, "ackEvents", "auditTopics.", null);
        if (value == null) {
            return null;
        }
        return TopologyFile.AckEvents.fromValue(value).orElseGet(() -> {
            problem("auditTopics.ackEvents", "'" + value + "' is not one of " + Arrays.stream(
                TopologyFile.AckEvents.values()).map(TopologyFile.AckEvents::value).collect(Collectors.joining(", ")));
            return null;
        });
    }

    private String ownTopic(final JsonNode parent, final String name, final String prefix, final String defaultValue,
                            final Map<String, String> ownTopics) {
        final String topic = text(parent, name, prefix, defaultValue);
        return topic == null ? null : ownTopic(prefix + name, topic, ownTopics);
    }

    /** Records {@code topic} as Sluice's own, under {@code field}; two fields may not name the same topic. */
    private String ownTopic(final String field, final String topic, final Map<String, String> ownTopics) {
        if (!validTopic(field, topic)) {
            return topic;
        }
        final String other = ownTopics.putIfAbsent(topic, field);
        if (other != null) {
            problem(field, "'" + topic + "' is already the " + other + "; each of Sluice's topics has one use");
        }
        return topic;
    }

    private ProcessingGuarantee processingGuarantee(final JsonNode root) {
        final String value = text(root, "processingGuarantee", "", ProcessingGuarantee.EXACTLY_ONCE_V2.streamsValue());
        if (value == null) {
            return null;
        }
        return ProcessingGuarantee.fromStreamsValue(value).orElseGet(() -> {
            problem("processingGuarantee", "'" + value + "' is not one of "
                + ProcessingGuarantee.EXACTLY_ONCE_V2.streamsValue() + ", " + ProcessingGuarantee.AT_LEAST_ONCE.streamsValue());
            return null;
        });
    }

    // ---- keyrings

    /**
     * {@code keyrings: {name: {kekFile | kekEnv, dekScope}}}. The KEKs are not read here: only instances need them,
     * and they read them at start (a command that lists keys has no business with them).
     */
    private Map<String, KeyringSpec> keyrings(final JsonNode root) {
        final JsonNode node = root.get("keyrings");
        final Map<String, KeyringSpec> keyrings = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return keyrings;
        }
        if (!node.isObject()) {
            problem("keyrings", "must be an object of keyrings by name, e.g. {pii: {kekFile: pii.kek, dekScope: user}}");
            return keyrings;
        }
        for (final Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = entries.next();
            final String field = "keyrings." + entry.getKey();
            if (!KEYRING_NAME.matcher(entry.getKey()).matches()) {
                problem(field, "a keyring name is 1 to 64 of the characters A-Z a-z 0-9 . _ -");
                continue;
            }
            if (!entry.getValue().isObject()) {
                problem(field, "must be an object with the fields " + new TreeSet<>(KEYRING_FIELDS));
                continue;
            }
            unknownFields(entry.getValue(), field + ".", KEYRING_FIELDS);
            final String kekFile = text(entry.getValue(), "kekFile", field + ".", null);
            final String kekEnv = text(entry.getValue(), "kekEnv", field + ".", null);
            final String scope = text(entry.getValue(), "dekScope", field + ".", DekScope.NONE.label());
            if ((kekFile == null) == (kekEnv == null)) {
                problem(field, "needs its KEKs from exactly one of kekFile and kekEnv");
            }
            final DekScope dekScope = scope == null ? null : DekScope.fromLabel(scope).orElse(null);
            if (scope != null && dekScope == null) {
                problem(field + ".dekScope", "'" + scope + "' is not one of none, vcluster, user");
            }
            keyrings.put(entry.getKey(), new KeyringSpec(entry.getKey(),
                kekFile == null ? null : java.nio.file.Path.of(kekFile), kekEnv, dekScope));
        }
        return keyrings;
    }

    // ---- replication

    /** {@code replication: {factor, minInsyncReplicas}}: both optional, at least 1, min ISR at most the factor. */
    private TopologyFile.Replication replication(final JsonNode root) {
        final JsonNode node = root.get("replication");
        if (node == null || node.isNull()) {
            return TopologyFile.Replication.BROKER_DEFAULTS;
        }
        if (!node.isObject()) {
            problem("replication", "must be an object with the fields " + new TreeSet<>(REPLICATION_FIELDS));
            return null;
        }
        unknownFields(node, "replication.", REPLICATION_FIELDS);
        final Integer factor = positive(node, "factor", "replication.", Short.MAX_VALUE);
        final Integer minInsync = positive(node, "minInsyncReplicas", "replication.", Short.MAX_VALUE);
        if (factor != null && minInsync != null && minInsync > factor) {
            problem("replication.minInsyncReplicas", minInsync + " is more than replication.factor " + factor
                + ": no write could ever succeed");
        }
        return new TopologyFile.Replication(factor, minInsync);
    }

    // ---- routes

    private List<CompiledRoute> routes(final JsonNode root, final Map<String, String> ownTopics) {
        final JsonNode node = root.get("routes");
        if (node == null || node.isNull()) {
            problem("routes", "is required: at least one route from an ingress to an egress topic");
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            problem("routes", "must be a list of at least one route ({ingress, egress, ...})");
            return List.of();
        }
        final List<CompiledRoute> routes = new ArrayList<>();
        for (int index = 0; index < node.size(); index++) {
            final CompiledRoute route = route(index, node.get(index), ownTopics);
            if (route != null) {
                routes.add(route);
            }
        }
        checkIngressesAreDistinct(routes);
        checkNoCycles(routes);
        return routes;
    }

    /**
     * One route, compiled, or {@code null} when its ingress or egress is wrong (and reported). A route with
     * other problems is still returned, so that the checks across routes can report theirs too.
     */
    private CompiledRoute route(final int index, final JsonNode node, final Map<String, String> ownTopics) {
        final String field = "routes[" + index + "]";
        if (!node.isObject()) {
            problem(field, "must be an object with the fields " + new TreeSet<>(ROUTE_FIELDS));
            return null;
        }
        unknownFields(node, field + ".", ROUTE_FIELDS);
        final String ingress = requiredText(node, "ingress", field + ".");
        final String egress = requiredText(node, "egress", field + ".");
        final String vcluster = text(node, "vcluster", field + ".", null);
        final String vclusterFrom = text(node, "vclusterFrom", field + ".", null);

        final int problemsBefore = problems.size();
        final Pattern pattern = ingress == null ? null : ingress(field + ".ingress", ingress, ownTopics);
        final List<String> groups = pattern == null ? List.of() : NamedGroups.names(ingress);
        final EgressTemplate template = egress == null ? null
            : egress(field + ".egress", egress, ingress, pattern, ownTopics);
        final boolean usable = ingress != null && egress != null && problems.size() == problemsBefore;
        vclusterSource(field, vcluster, vclusterFrom, groups);
        final IdentitySignature identity = identity(node, field);

        return usable
            ? new CompiledRoute(index, new Route(ingress, egress, vcluster, vclusterFrom != null, identity), pattern,
                groups, template)
            : null;
    }

    /**
     * {@code identity: signed} with its key from exactly one of {@code identityKeyFile} / {@code identityKeyEnv}, or
     * {@code unsigned} (the default) with neither. Loads the key; a problem names the source, never the key.
     */
    private IdentitySignature identity(final JsonNode node, final String field) {
        final String identity = text(node, "identity", field + ".", IDENTITY_UNSIGNED);
        final String keyFile = text(node, "identityKeyFile", field + ".", null);
        final String keyEnv = text(node, "identityKeyEnv", field + ".", null);
        if (identity == null) {
            return null;
        }
        if (IDENTITY_UNSIGNED.equals(identity)) {
            if (keyFile != null || keyEnv != null) {
                problem(field + (keyFile != null ? ".identityKeyFile" : ".identityKeyEnv"),
                    "is only for 'identity: signed'");
            }
            return null;
        }
        if (!IDENTITY_SIGNED.equals(identity)) {
            problem(field + ".identity", "'" + identity + "' is not 'signed' or 'unsigned'");
            return null;
        }
        if ((keyFile == null) == (keyEnv == null)) {
            problem(field + ".identity", "'signed' needs its key from exactly one of identityKeyFile and identityKeyEnv");
            return null;
        }
        try {
            return keyFile != null ? IdentitySignature.fromFile(java.nio.file.Path.of(keyFile))
                : IdentitySignature.fromEnv(keyEnv);
        } catch (final IllegalArgumentException e) {
            problem(field + (keyFile != null ? ".identityKeyFile" : ".identityKeyEnv"), e.getMessage());
            return null;
        }
    }

    /** Checks an ingress; returns its compiled regex when it is a pattern. */
    private Pattern ingress(final String field, final String ingress, final Map<String, String> ownTopics) {
        if (!Route.isPattern(ingress)) {
            if (validTopic(field, ingress) && ownTopics.containsKey(ingress)) {
                problem(field, "'" + ingress + "' is the " + ownTopics.get(ingress) + ", which Sluice writes");
            }
            return null;
        }
        try {
            return Pattern.compile(ingress);
        } catch (final PatternSyntaxException e) {
            problem(field, "not a valid Java regex: " + e.getDescription() + " at index " + e.getIndex()
                + " (an ingress with characters other than [a-zA-Z0-9._-] is a regex)");
            return null;
        }
    }

    /** Checks an egress against its route's ingress ({@code pattern}: the compiled ingress, if it is a valid regex). */
    private EgressTemplate egress(final String field, final String egress, final String ingress, final Pattern pattern,
                                  final Map<String, String> ownTopics) {
        final EgressTemplate.Parsed parsed = EgressTemplate.parse(egress);
        if (parsed.template() == null) {
            problem(field, parsed.problem());
            return null;
        }
        final EgressTemplate template = parsed.template();
        if (ingress != null && !Route.isPattern(ingress)) {
            template.groups().forEach(group -> problem(field,
                "'${" + group + "}' needs an ingress pattern with a named group (?<" + group + ">...)"));
        } else if (pattern != null) {
            final List<String> groups = NamedGroups.names(ingress);
            template.groups().stream().filter(group -> !groups.contains(group)).forEach(group -> problem(field,
                "'${" + group + "}' has no named group (?<" + group + ">...) in the ingress pattern"));
        }
        if (!template.hasPlaceholders()) {
            if (validTopic(field, egress) && ownTopics.containsKey(egress)) {
                problem(field, "'" + egress + "' is the " + ownTopics.get(egress) + ": egress records would mix with it");
            }
        } else {
            // Captured text is made of topic characters; the literal text around it must be too.
            Topic.validate(template.renderSample("x"), "a topic name template", reason -> problem(field, reason));
        }
        return template;
    }

    /** A route takes its vcluster from one place: fixed, captured from the topic name, or the header. */
    private void vclusterSource(final String field, final String vcluster, final String vclusterFrom,
                                final List<String> groups) {
        final boolean captured = groups.contains(Route.VCLUSTER_GROUP);
        if (vcluster != null && vcluster.isBlank()) {
            problem(field + ".vcluster", "must not be empty");
        }
        if (vclusterFrom != null && !VCLUSTER_FROM_HEADER.equals(vclusterFrom)) {
            problem(field + ".vclusterFrom", "'" + vclusterFrom + "' is not '" + VCLUSTER_FROM_HEADER
                + "' (the only source besides a fixed vcluster and a (?<vcluster>...) group)");
        }
        if (vcluster != null && vclusterFrom != null) {
            problem(field + ".vcluster", "a fixed vcluster and vclusterFrom exclude each other; keep one");
        }
        if (vcluster != null && captured) {
            problem(field + ".vcluster", "a fixed vcluster and the ingress group (?<vcluster>...) exclude each other; keep one");
        }
        if (vclusterFrom != null && captured) {
            problem(field + ".vclusterFrom", "the header and the ingress group (?<vcluster>...) exclude each other; keep one");
        }
    }

    private void checkIngressesAreDistinct(final List<CompiledRoute> routes) {
        final Map<String, CompiledRoute> seen = new HashMap<>();
        for (final CompiledRoute route : routes) {
            final CompiledRoute first = seen.putIfAbsent(route.route().ingress(), route);
            if (first != null) {
                problem(route.field() + ".ingress", "'" + route.route().ingress() + "' is already the ingress of "
                    + first.field() + "; a topic has one route");
            }
        }
    }

    /**
     * Routes may form a chain (a route reads another's egress: a decrypted view, a staged pipeline), not a cycle.
     * A fixed egress leads to exactly one route, the one that reads that topic (a pattern route too), so following
     * fixed egresses from each route finds every cycle the routes alone show; each is reported once, at the route
     * of the lowest index in it. A templated egress leads where the topic names take it: cycles through one are
     * caught per record at run time ({@link RouteHops}).
     */
    private void checkNoCycles(final List<CompiledRoute> routes) {
        final RouteTable table = new RouteTable(routes);
        final Map<Integer, CompiledRoute> next = new HashMap<>();
        for (final CompiledRoute route : routes) {
            if (!route.egress().hasPlaceholders()) {
                final CompiledRoute reader = table.find(route.route().egress());
                if (reader != null) {
                    next.put(route.index(), reader);
                }
            }
        }
        for (final CompiledRoute route : routes) {
            final List<CompiledRoute> path = new ArrayList<>();
            CompiledRoute current = route;
            while (current != null && !path.contains(current)) {
                path.add(current);
                current = next.get(current.index());
            }
            if (current != route || path.stream().anyMatch(other -> other.index() < route.index())) {
                continue;
            }
            final String egress = route.route().egress();
            if (path.size() == 1) {
                problem(route.field() + ".egress", "'" + egress + "' is read by this route's own ingress; "
                    + "Sluice would read its own output");
            } else {
                problem(route.field() + ".egress", "'" + egress + "' leads back to this route, a cycle: "
                    + path.stream().map(TopologyValidator::describe).collect(Collectors.joining(" -> "))
                    + " -> " + route.field() + "; routes may form a chain, not a cycle");
            }
        }
    }

    private static String describe(final CompiledRoute route) {
        return route.field() + " (" + route.route().ingress() + " -> " + route.route().egress() + ")";
    }

    // ---- fields

    private void unknownFields(final JsonNode node, final String prefix, final Set<String> known) {
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!known.contains(name)) {
                problem(prefix + name, "unknown field; known fields here: " + new TreeSet<>(known));
            }
        }
    }

    /** A string field, {@code defaultValue} when absent or null, {@code null} (and a problem) when not a string. */
    private String text(final JsonNode parent, final String name, final String prefix, final String defaultValue) {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isTextual()) {
            problem(prefix + name, "must be a string (quote it)");
            return null;
        }
        return node.textValue();
    }

    /** An optional whole number from 1 to {@code max}; {@code null} when absent (or wrong, with a problem). */
    private Integer positive(final JsonNode parent, final String name, final String prefix, final int max) {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1 || node.intValue() > max) {
            problem(prefix + name, "must be a whole number from 1 to " + max);
            return null;
        }
        return node.intValue();
    }

    private String requiredText(final JsonNode parent, final String name, final String prefix) {
        final JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            problem(prefix + name, "is required");
            return null;
        }
        return text(parent, name, prefix, null);
    }

    private boolean validTopic(final String field, final String topic) {
        final int before = problems.size();
        Topic.validate(topic, "a topic name", reason -> problem(field, reason));
        return problems.size() == before;
    }

    private void problem(final String field, final String message) {
        problems.add(new Problem(source, field, message));
    }
}

package io.sluice.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.bindings.Binding;
import io.sluice.bindings.BindingDiff;
import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingResources;
import io.sluice.bindings.Redaction;
import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;

/**
 * Binding files against the config topic, as {@code bindings diff}, {@code apply} and {@code impact} compare them:
 * the files' bindings, the topic's identities, and the changes applying the files would make.
 *
 * @param files    the files' valid resources
 * @param current  the topic's identities (valid, invalid, or both)
 * @param inForce  the bindings in force now
 * @param changes  what applying the files would change
 */
record BindingsPlan(List<BindingResources.Resource> files, List<BindingDiff.Current> current, List<Binding> inForce,
                    List<BindingDiff.Change> changes) {

    /**
     * Reads and validates the files, then the topic, and compares them. Invalid files print every problem to
     * {@code err}, one per line as {@code apply} prints them, and fail before the topic is read; so do
     * {@code --prune} and files without any resource.
     *
     * @param whatNot what the failure message says did not happen, e.g. {@code nothing was compared}
     */
    static BindingsPlan of(final Path file, final boolean prune, final PluginRegistry plugins, final Properties client,
                           final String configTopic, final PrintWriter err, final String whatNot) {
        final BindingResources.Result result = readFiles(file, plugins, err, whatNot);
        if (prune && result.resources().isEmpty()) {
            throw new UserException("--prune: " + file + " holds no binding resource; pruning with it would delete "
                + "every binding in force; " + whatNot);
        }
        final List<ConfigTopicClient.Entry> entries = ConfigTopicClient.readAll(client, configTopic,
            new BindingRecords(plugins));
        final List<BindingDiff.Current> current = current(entries, configTopic, err);
        final List<BindingDiff.Change> changes = BindingDiff.compare(result.bindings(), current, prune,
            new Redaction(plugins));
        warnAboutInvalidRecordsLeftAlone(current, changes, configTopic, err);
        return new BindingsPlan(result.resources(), current, ConfigTopicClient.bindingsInForce(entries), changes);
    }

    /** Reads and validates files; prints every problem, one per line, and fails when there is any. */
    static BindingResources.Result readFiles(final Path file, final PluginRegistry plugins, final PrintWriter err,
                                             final String whatNot) {
        final BindingResources.Result result = BindingResources.read(file, plugins);
        if (!result.isValid()) {
            final List<Problem> problems = result.problems();
            problems.forEach(err::println);
            err.flush();
            throw new UserException(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in "
                + file + "; " + whatNot);
        }
        return result;
    }

    /** The bindings in force after applying the files: with {@code prune}, exactly the files. */
    List<Binding> after(final boolean prune) {
        final Map<BindingId, Binding> byId = new LinkedHashMap<>();
        if (!prune) {
            inForce.forEach(binding -> byId.put(binding.id(), binding));
        }
        files.forEach(resource -> byId.put(resource.binding().id(), resource.binding()));
        return List.copyOf(byId.values());
    }

    /**
     * The topic's identities. A record whose key cannot be read names no identity: it is reported as a warning and
     * left out (no file can hold it, and a tombstone cannot be addressed to it).
     */
    private static List<BindingDiff.Current> current(final List<ConfigTopicClient.Entry> entries, final String topic,
                                                     final PrintWriter err) {
        final List<BindingDiff.Current> current = new ArrayList<>(entries.size());
        for (final ConfigTopicClient.Entry entry : entries) {
            final BindingId id = entry.inForce() != null ? entry.inForce().id() : entry.invalid().id();
            if (id == null) {
                err.println("sluice: warning: " + topic + " holds a record whose key names no binding (not applied, "
                    + "not compared): " + entry.invalid().problems().stream().map(Problem::toString)
                    .collect(Collectors.joining("; ")));
                continue;
            }
            current.add(new BindingDiff.Current(id, entry.inForce() == null ? null : entry.inForce().binding(),
                entry.invalid() == null ? null : entry.invalid().reason()));
        }
        err.flush();
        return current;
    }

    private static void warnAboutInvalidRecordsLeftAlone(final List<BindingDiff.Current> current,
                                                         final List<BindingDiff.Change> changes, final String topic,
                                                         final PrintWriter err) {
        for (final BindingDiff.Current state : current) {
            if (state.invalidReason() != null && changes.stream().noneMatch(change -> change.id().equals(state.id()))) {
                err.println("sluice: warning: " + state.id() + ": the latest record on " + topic + " is invalid and not "
                    + "applied" + (state.inForce() == null ? "" : " (the previous version stays in force)")
                    + "; the files do not hold this binding, so apply leaves it (--prune deletes it): "
                    + state.invalidReason());
            }
        }
        err.flush();
    }

    /** The documented JSON line: {@code {"action", "name", "scope": {...}, "changes": [{"field", "before", "after"}]}}. */
    static ObjectNode toJson(final BindingDiff.Change change) {
        final ObjectNode line = Json.object()
            .put("action", change.action().label())
            .put("name", change.id().name());
        line.putObject("scope")
            .put("vcluster", change.id().scope().vcluster())
            .put("group", change.id().scope().group())
            .put("username", change.id().scope().username());
        final ArrayNode fields = line.putArray("changes");
        for (final BindingDiff.FieldChange field : change.changes()) {
            final ObjectNode item = fields.addObject().put("field", field.field());
            item.set("before", field.before());
            item.set("after", field.after());
        }
        return line;
    }

    /** The changed fields on one line: {@code field: before -> after; ...} (a create shows after, a delete before). */
    static String describe(final BindingDiff.Change change) {
        return change.changes().stream().map(field -> field.field() + ": " + switch (change.action()) {
            case CREATE -> text(field.after());
            case DELETE -> text(field.before());
            case UPDATE -> text(field.before()) + " -> " + text(field.after());
        }).collect(Collectors.joining("; "));
    }

    private static String text(final JsonNode value) {
        return Json.line(value);
    }
}

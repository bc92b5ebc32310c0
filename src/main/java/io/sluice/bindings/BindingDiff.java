package io.sluice.bindings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What applying binding files would change on the config topic, identity by identity: {@code create},
 * {@code update} with every changed field ({@code spec.plugin}, {@code spec.priority}, {@code spec.topics},
 * {@code spec.onError}, and each leaf of {@code spec.config} by its path), and — when pruning — {@code delete}.
 * A pure function of the files' bindings and the topic's state; {@code bindings diff} prints it and
 * {@code bindings apply} publishes it, so both always agree.
 *
 * <p>An identity whose latest record on the topic is invalid is never "unchanged": applying it replaces the invalid
 * record, so it is an update (or a create, when no valid version is in force) with a {@code status} change from
 * {@code invalid: <reason>} to {@code valid}; pruning it publishes a tombstone.
 */
public final class BindingDiff {

    /** The pseudo-field of an identity whose latest record on the topic is invalid. */
    public static final String STATUS_FIELD = "status";

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    /** Numbers compare by value: 10 and 10.0, int and long, are the same config. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (left, right) -> {
        if (left.isNumber() && right.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue()) == 0 ? 0 : 1;
        }
        return left.equals(right) ? 0 : 1;
    };

    public enum Action {
        CREATE, UPDATE, DELETE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One identity's state on the config topic.
     *
     * @param id            the identity
     * @param inForce       the valid binding applied now, or {@code null}
     * @param invalidReason why the identity's latest record is not applied, or {@code null} when it is valid
     */
    public record Current(BindingId id, Binding inForce, String invalidReason) {
    }

    /**
     * One field that changes; values are as printed (secrets {@value Redaction#REDACTED}, absent = JSON null).
     */
    public record FieldChange(String field, JsonNode before, JsonNode after) {
    }

    /**
     * One identity that changes.
     *
     * @param binding what to publish for a create or update; {@code null} for a delete (a tombstone)
     */
    public record Change(Action action, BindingId id, List<FieldChange> changes, Binding binding) {

        public Change {
            changes = List.copyOf(changes);
        }
    }

    private BindingDiff() {
    }

    /**
     * The changes, creates and updates in the files' order, then deletes in the topic's order.
     *
     * @param desired   the files' bindings (valid, distinct identities)
     * @param current   the topic's identities
     * @param prune     whether bindings in force that the files do not hold are deleted
     * @param redaction which config values to show as {@value Redaction#REDACTED}
     */
    public static List<Change> compare(final List<Binding> desired, final List<Current> current, final boolean prune,
                                       final Redaction redaction) {
        final Map<BindingId, Current> byId = new LinkedHashMap<>();
        current.forEach(state -> byId.put(state.id(), state));
        final List<Change> changes = new ArrayList<>();
        final Set<BindingId> kept = new HashSet<>();
        for (final Binding binding : desired) {
            kept.add(binding.id());
            final Current state = byId.get(binding.id());
            final Binding before = state == null ? null : state.inForce();
            final String invalid = state == null ? null : state.invalidReason();
            final List<FieldChange> fields = new ArrayList<>();
            if (invalid != null) {
                fields.add(new FieldChange(STATUS_FIELD, TextNode.valueOf("invalid: " + invalid), TextNode.valueOf("valid")));
            }
            fields.addAll(fieldChanges(before, binding, redaction));
            if (!fields.isEmpty()) {
                changes.add(new Change(before == null ? Action.CREATE : Action.UPDATE, binding.id(), fields, binding));
            }
        }
        if (prune) {
            for (final Current state : byId.values()) {
                if (!kept.contains(state.id())) {
                    final List<FieldChange> fields = new ArrayList<>();
                    if (state.invalidReason() != null) {
                        fields.add(new FieldChange(STATUS_FIELD, TextNode.valueOf("invalid: " + state.invalidReason()),
                            NullNode.getInstance()));
                    }
                    fields.addAll(fieldChanges(state.inForce(), null, redaction));
                    changes.add(new Change(Action.DELETE, state.id(), fields, null));
                }
            }
        }
        return changes;
    }

    /** Every field that differs between two versions of one identity; {@code null} stands for "absent". */
    static List<FieldChange> fieldChanges(final Binding before, final Binding after, final Redaction redaction) {
        final Map<String, Leaf> old = fields(before, redaction);
        final Map<String, Leaf> now = fields(after, redaction);
        final List<FieldChange> changes = new ArrayList<>();
        now.forEach((field, leaf) -> compareLeaf(changes, field, old.get(field), leaf));
        old.forEach((field, leaf) -> {
            if (!now.containsKey(field)) {
                compareLeaf(changes, field, leaf, null);
            }
        });
        return changes;
    }

    private static void compareLeaf(final List<FieldChange> changes, final String field, final Leaf before,
                                    final Leaf after) {
        final JsonNode left = before == null ? null : before.value();
        final JsonNode right = after == null ? null : after.value();
        if (left != null && right != null && left.equals(NUMBERS_BY_VALUE, right)) {
            return;
        }
        if (left == null && right == null) {
            return;
        }
        final boolean secret = before != null && before.secret() || after != null && after.secret();
        changes.add(new FieldChange(field, shown(left, secret), shown(right, secret)));
    }

    private static JsonNode shown(final JsonNode value, final boolean secret) {
        if (value == null) {
            return NullNode.getInstance();
        }
        return secret ? TextNode.valueOf(Redaction.REDACTED) : value;
    }

    /** A value at a path; a secret one is a leaf even when it is an object. */
    private record Leaf(JsonNode value, boolean secret) {
    }

    private static Map<String, Leaf> fields(final Binding binding, final Redaction redaction) {
        final Map<String, Leaf> fields = new LinkedHashMap<>();
        if (binding == null) {
            return fields;
        }
        fields.put("spec.plugin", new Leaf(TextNode.valueOf(binding.plugin()), false));
        fields.put("spec.priority", new Leaf(IntNode.valueOf(binding.priority()), false));
        if (binding.topics() != null) {
            fields.put("spec.topics", new Leaf(TextNode.valueOf(binding.topicsText()), false));
        }
        if (binding.onError() != null) {
            fields.put("spec.onError", new Leaf(TextNode.valueOf(binding.onError().label()), false));
        }
        flatten(fields, "spec.config", binding.config(), new ArrayList<>(), binding.plugin(), redaction, true);
        return fields;
    }

    private static void flatten(final Map<String, Leaf> fields, final String path, final JsonNode node,
                                final List<String> keys, final String plugin, final Redaction redaction,
                                final boolean root) {
        if (node.isObject() && (root || !node.isEmpty())) {
            for (final Map.Entry<String, JsonNode> field : node.properties()) {
                keys.add(field.getKey());
                final String child = path + segment(field.getKey());
                if (redaction.isSecret(plugin, keys)) {
                    fields.put(child, new Leaf(field.getValue(), true));
                } else {
                    flatten(fields, child, field.getValue(), keys, plugin, redaction, false);
                }
                keys.remove(keys.size() - 1);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(fields, path + "[" + i + "]", node.get(i), keys, plugin, redaction, false);
            }
        } else {
            fields.put(path, new Leaf(node, false));
        }
    }

    /** Whether two configs are the same, numbers compared by value. */
    public static boolean sameConfig(final JsonNode left, final JsonNode right) {
        return left.equals(NUMBERS_BY_VALUE, right);
    }

    /** {@code .name}, or {@code ["odd.name"]} for a key that would read as a path itself. */
    private static String segment(final String key) {
        return PLAIN_KEY.matcher(key).matches() ? "." + key : "[" + TextNode.valueOf(key) + "]";
    }
}

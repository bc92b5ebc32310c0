package io.sluice.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.internals.Topic;

/**
 * A route's egress, parsed once: literal text and {@code ${group}} placeholders filled from the groups the
 * ingress pattern captured. An egress without placeholders renders to itself without building a string.
 */
final class EgressTemplate {

    /** Literal text, or (when {@code group} is true) the name of a group to insert. */
    private record Part(String text, boolean group) {
    }

    private final String text;
    private final List<Part> parts;
    private final boolean placeholders;

    private EgressTemplate(final String text, final List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        this.placeholders = parts.stream().anyMatch(Part::group);
    }

    /** Parses {@code text}, or says what is wrong with its placeholders. */
    static Parsed parse(final String text) {
        final List<Part> parts = new ArrayList<>();
        int from = 0;
        int open = text.indexOf("${");
        while (open >= 0) {
            final int close = text.indexOf('}', open);
            if (close < 0) {
                return Parsed.problem("'${' is not closed with '}'");
            }
            final String group = text.substring(open + 2, close);
            if (group.isEmpty()) {
                return Parsed.problem("'${}' names no group");
            }
            if (open > from) {
                parts.add(new Part(text.substring(from, open), false));
            }
            parts.add(new Part(group, true));
            from = close + 1;
            open = text.indexOf("${", from);
        }
        if (from < text.length()) {
            parts.add(new Part(text.substring(from), false));
        }
        return new Parsed(new EgressTemplate(text, parts), null);
    }

    /** The template, or what is wrong with it. */
    record Parsed(EgressTemplate template, String problem) {

        static Parsed problem(final String problem) {
            return new Parsed(null, problem);
        }
    }

    boolean hasPlaceholders() {
        return placeholders;
    }

    /** The groups the placeholders name, in order of appearance. */
    List<String> groups() {
        return parts.stream().filter(Part::group).map(Part::text).toList();
    }

    /** The egress for an ingress topic whose name {@code ingress} matched (unused without placeholders). */
    String render(final Matcher ingress) {
        if (!placeholders) {
            return text;
        }
        final StringBuilder egress = new StringBuilder(text.length() + 16);
        for (final Part part : parts) {
            egress.append(part.group() ? nullToEmpty(ingress.group(part.text())) : part.text());
        }
        return egress.toString();
    }

    /**
     * Every topic this template can render to, and more: the literal text, and topic characters where the
     * placeholders are (the captured text is part of a topic name).
     */
    Pattern shape() {
        final StringBuilder regex = new StringBuilder();
        parts.forEach(part -> regex.append(part.group() ? Topic.LEGAL_CHARS + "*" : Pattern.quote(part.text())));
        return Pattern.compile(regex.toString());
    }

    /** The egress with every placeholder replaced by {@code sample}: to check the literal text is a topic name. */
    String renderSample(final String sample) {
        final StringBuilder egress = new StringBuilder();
        parts.forEach(part -> egress.append(part.group() ? sample : part.text()));
        return egress.toString();
    }

    private static String nullToEmpty(final String value) {
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.sluice.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * The named groups {@code (?<name>...)} of a valid Java regex, found by scanning its text: Java 17 has no
 * {@code Pattern.namedGroups()}. The scan skips escapes, {@code \Q...\E} quotes and character classes, and
 * tells named groups from look-behinds {@code (?<=} and {@code (?<!}. (It does not understand {@code #}
 * comments of the {@code (?x)} flag.)
 */
final class NamedGroups {

    /** A group's name and where it sits: {@code regex.substring(start, end)} is {@code ?<name>}. */
    record Group(String name, int start, int end) {
    }

    private NamedGroups() {
    }

    static List<String> names(final String regex) {
        return scan(regex).stream().map(Group::name).toList();
    }

    /** The same regex with every named group made a plain group, so that several can share one pattern. */
    static String withoutNames(final String regex) {
        final StringBuilder plain = new StringBuilder(regex.length());
        int from = 0;
        for (final Group group : scan(regex)) {
            plain.append(regex, from, group.start());
            from = group.end();
        }
        return plain.append(regex, from, regex.length()).toString();
    }

    static List<Group> scan(final String regex) {
        final List<Group> groups = new ArrayList<>();
        int i = 0;
        while (i < regex.length()) {
            final char c = regex.charAt(i);
            if (c == '\\') {
                i = afterEscape(regex, i);
            } else if (c == '[') {
                i = afterCharacterClass(regex, i);
            } else if (c == '(' && isNamedGroup(regex, i)) {
                final int close = regex.indexOf('>', i + 3);
                groups.add(new Group(regex.substring(i + 3, close), i + 1, close + 1));
                i = close + 1;
            } else {
                i++;
            }
        }
        return groups;
    }

    private static boolean isNamedGroup(final String regex, final int open) {
        return regex.startsWith("(?<", open) && open + 3 < regex.length()
            && Character.isLetter(regex.charAt(open + 3)) && regex.indexOf('>', open + 3) > 0;
    }

    private static int afterEscape(final String regex, final int backslash) {
        if (regex.startsWith("\\Q", backslash)) {
            final int end = regex.indexOf("\\E", backslash + 2);
            return end < 0 ? regex.length() : end + 2;
        }
        return backslash + 2;
    }

    /** Classes nest in Java ({@code [a[b]]}); a {@code ]} right after {@code [} or {@code [^} is literal. */
    private static int afterCharacterClass(final String regex, final int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length()) {
            final char c = regex.charAt(i);
            if (c == '\\') {
                i = afterEscape(regex, i);
            } else if (c == '[') {
                i = afterCharacterClass(regex, i);
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }
}

package io.sluice.bindings;

/**
 * Where a binding applies. Unset fields are {@code null}; a scope with none set is global.
 * Setting both {@code group} and {@code username} is invalid (rejected by validation, never built).
 */
public record BindingScope(String vcluster, String group, String username) {

    public static final BindingScope GLOBAL = new BindingScope(null, null, null);

    /** username &gt; group &gt; vcluster &gt; global. */
    public ScopeLevel level() {
        if (username != null) {
            return ScopeLevel.USERNAME;
        }
        if (group != null) {
            return ScopeLevel.GROUP;
        }
        return vcluster != null ? ScopeLevel.VCLUSTER : ScopeLevel.GLOBAL;
    }

    /** Within the username and group levels, naming the vcluster too is more precise. */
    public boolean namesVcluster() {
        return vcluster != null;
    }

    @Override
    public String toString() {
        if (level() == ScopeLevel.GLOBAL) {
            return "global";
        }
        final StringBuilder text = new StringBuilder();
        append(text, "vcluster", vcluster);
        append(text, "group", group);
        append(text, "username", username);
        return text.toString();
    }

    private static void append(final StringBuilder text, final String field, final String value) {
        if (value != null) {
            text.append(text.length() == 0 ? "" : ",").append(field).append('=').append(value);
        }
    }
}

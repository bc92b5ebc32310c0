package io.sluice.bindings;

/**
 * Where a binding applies. Unset fields are {@code null}; a scope with none set is global.
 * Setting both {@code group} and {@code username} is invalid (rejected by validation, never built).
 */
public record BindingScope(String vcluster, String group, String username) {

    public static final BindingScope GLOBAL = new BindingScope(null, null, null);

    // Written out rather than generated: part of the live instances' key, hashed per interceptor per record.
    @Override
    public boolean equals(final Object other) {
        return other == this || other instanceof BindingScope that && java.util.Objects.equals(vcluster, that.vcluster)
            && java.util.Objects.equals(group, that.group) && java.util.Objects.equals(username, that.username);
    }

    @Override
    public int hashCode() {
        return 961 * java.util.Objects.hashCode(vcluster) + 31 * java.util.Objects.hashCode(group)
            + java.util.Objects.hashCode(username);
    }

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

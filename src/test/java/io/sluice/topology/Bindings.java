package io.sluice.topology;

/**
 * Binding resources for topology tests, as YAML a user would write (flow style, to keep tests short). Each
 * starts with {@code ---}, so several concatenated are one file.
 */
final class Bindings {

    private Bindings() {
    }

    /**
     * @param scope a YAML mapping, e.g. {@code {}} (global) or {@code {vcluster: payments, group: analysts}}
     * @param spec  the spec's fields as a YAML mapping body, e.g. {@code plugin: rejecting, priority: 1, ...}
     */
    static String binding(final String name, final String scope, final String spec) {
        return """
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: %s, scope: %s}
            spec: {%s}
            """.formatted(name, scope, spec);
    }

    /** {@code header-injection} of one constant header: what tells bindings apart in egress headers. */
    static String injects(final String name, final String scope, final int priority, final String header,
                          final String value) {
        return binding(name, scope, "plugin: header-injection, priority: %d, config: {headers: {%s: '%s'}}"
            .formatted(priority, header, value));
    }

    /** A {@code recording} instance labelled {@code label}. */
    static String recording(final String name, final String scope, final int priority, final String label) {
        return binding(name, scope, "plugin: recording, priority: %d, config: {label: %s}".formatted(priority, label));
    }
}

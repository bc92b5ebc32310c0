package io.sluice.bindings;

/** A binding's identity, the config topic's key: publishing the same identity again replaces the binding. */
public record BindingId(String name, BindingScope scope) {

    // Written out rather than generated: the key of the live instances, looked up per interceptor per record.
    @Override
    public boolean equals(final Object other) {
        return other == this || other instanceof BindingId that && java.util.Objects.equals(name, that.name)
            && java.util.Objects.equals(scope, that.scope);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(name) + java.util.Objects.hashCode(scope);
    }

    @Override
    public String toString() {
        return name + "@" + scope;
    }
}

package io.sluice.bindings;

/** A binding's identity, the config topic's key: publishing the same identity again replaces the binding. */
public record BindingId(String name, BindingScope scope) {

    @Override
    public String toString() {
        return name + "@" + scope;
    }
}

package io.sluice.resolution;

import java.util.List;

import io.sluice.bindings.Binding;

/**
 * A resolved chain: the bindings to run for a context, in execution order. At the group level a name
 * may appear once per matching group.
 */
public record Chain(List<Binding> interceptors) {

    public static final Chain EMPTY = new Chain(List.of());

    public Chain {
        interceptors = List.copyOf(interceptors);
    }

    public boolean isEmpty() {
        return interceptors.isEmpty();
    }
}

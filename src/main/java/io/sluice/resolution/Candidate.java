package io.sluice.resolution;

import java.util.regex.Pattern;

import io.sluice.bindings.Binding;

/**
 * A binding with what resolution reads precomputed, so that selecting and ordering a chain touches one small
 * object per candidate instead of the binding, its id, its scope and their strings.
 *
 * @param binding   the binding itself, what the chain holds
 * @param name      the interceptor name; in the index, one shared instance per name
 * @param precision {@link Resolution#precision}, lower is more precise
 * @param group     the scope's group, or null
 * @param priority  the binding's priority
 * @param topics    the binding's topics regex, or null
 */
record Candidate(Binding binding, String name, int precision, String group, int priority, Pattern topics) {

    static Candidate of(final Binding binding) {
        return of(binding, binding.name());
    }

    static Candidate of(final Binding binding, final String sharedName) {
        return new Candidate(binding, sharedName, Resolution.precision(binding.scope()), binding.scope().group(),
            binding.priority(), binding.topics());
    }

    boolean isGroupLevel() {
        return precision == 2 || precision == 3;
    }
}

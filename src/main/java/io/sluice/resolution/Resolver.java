package io.sluice.resolution;

/** Resolves the interceptor chain that applies to a context (README, "Resolution"). */
public interface Resolver {

    Chain resolve(Context context);

    /**
     * A number that changes whenever a chain this resolver gives may change (a binding was put, removed or
     * loaded), and that no other resolver in the JVM ever has ({@link Generations}): a caller may keep a
     * context's chain while the number stays the same, even in a cache that several applications share.
     */
    long generation();
}

package io.sluice.resolution;

/** Resolves the interceptor chain that applies to a context (SPEC section 2). */
public interface Resolver {

    Chain resolve(Context context);
}

package io.sluice.resolution;

/** Resolves the interceptor chain that applies to a context (README, "Resolution"). */
public interface Resolver {

    Chain resolve(Context context);
}

package io.sluice.bindings;

import java.util.Locale;

/** The precision levels of a scope, most precise first. */
public enum ScopeLevel {
    USERNAME, GROUP, VCLUSTER, GLOBAL;

    /** The lower-case name used in JSON and table output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

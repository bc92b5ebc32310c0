package io.sluice.spi;

/** What happens to a record when one of its interceptor's hooks throws. */
public enum OnError {
    /** The interceptor is skipped for that record; the record goes on through the rest of the chain. */
    SKIP,
    /** The record goes to the rejected topic: fail closed. */
    REJECT;

    /** The lower-case name used in binding files and JSON output. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

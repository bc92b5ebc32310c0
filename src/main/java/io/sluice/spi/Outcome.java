package io.sluice.spi;

/** What became of an ingress record. */
public enum Outcome {
    /** Written to egress and acknowledged (under exactly-once: committed). */
    ACKNOWLEDGED,
    /** Rejected by an interceptor; written to the rejected topic. */
    REJECTED,
    /** The egress write failed; written to the rejected topic with the reason. */
    FAILED
}

package io.sluice.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test plugins' instances did, in order: one line per hook call, creation and close, e.g.
 * {@code v1 onSend orders.in@0}. Shared by every instance of a registry; safe for concurrent hooks.
 */
public final class Journal {

    private final List<String> events = new ArrayList<>();

    synchronized void add(final String event) {
        events.add(event);
    }

    /** Every event so far. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** The events since the previous call, then forgets them: for step-by-step assertions. */
    public synchronized List<String> drain() {
        final List<String> drained = List.copyOf(events);
        events.clear();
        return drained;
    }
}

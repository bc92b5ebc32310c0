package io.sluice.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.avro.AckOutcome;
import io.sluice.resolution.Context;

/**
 * What the console shows, read from the sources the command line reads, in the command line's {@code -o json}
 * shapes. Methods may throw {@link BadRequest} for input they refuse and {@link Unavailable} when a source cannot be
 * read now.
 */
public interface ConsoleData {

    /** The application: id, bootstrap servers, processing guarantee, routes, the topics it uses. */
    ObjectNode application();

    /** The config topic's records as {@code sluice bindings list -o json} prints them, one object per line. */
    List<ObjectNode> bindings();

    /** The chain for a context as {@code sluice resolve -o json} prints it. */
    ObjectNode resolve(Context context);

    /** The newest acknowledgement events that match, newest first, as {@code sluice audit acks -o json} prints them. */
    AckWindow acks(AckFilter filter);

    /** Counters sampled over the last minutes, or {@code null} when this console has none to show. */
    MetricsHistory metrics();

    /** {@code since} as {@code sluice audit --since} reads it; throws {@link IllegalArgumentException} with the reason. */
    Duration parseSince(String text);

    /**
     * Which acknowledgement events to show.
     *
     * @param user      only this user's, or {@code null}
     * @param vcluster  only this vcluster's, or {@code null}
     * @param outcome   only this outcome, or {@code null}
     * @param notBefore only events at or after this time, or {@code null}
     * @param limit     at most this many (the newest)
     */
    record AckFilter(String user, String vcluster, AckOutcome outcome, Instant notBefore, int limit) {
    }

    /**
     * The events found, newest first, and how much of the topic was read to find them.
     *
     * @param events   the events in the {@code -o json} shape
     * @param scanned  how many records were read
     * @param complete whether every record the filter could match was read ({@code false}: the scan budget ran out
     *                 before {@code limit} events were found or the filter's time was reached)
     */
    record AckWindow(List<ObjectNode> events, long scanned, boolean complete) {
    }
}

package io.sluice.policytest;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.spi.Outcome;

/**
 * What must become of a case's record; every field is optional ({@code null}: not checked). Fields describe the
 * record's first hop — what the route of the given topic did with it and the record it wrote there (to egress, or
 * to the rejected topic). {@code then} describes the next hop: the record the route reading that egress topic wrote.
 *
 * @param outcome          the acknowledgement event's outcome
 * @param chain            the resolved chain's interceptor names, in execution order
 * @param egressTopic      the topic the record was written to (egress, or the rejected topic)
 * @param key              the written key as UTF-8 text ({@code keySet} tells an expected {@code null} from unset)
 * @param value            the written value: exact JSON, or text ({@code valueSet} tells an expected {@code null})
 * @param headers          headers with these exact values (UTF-8)
 * @param headersMatching  headers whose whole value matches these regexes
 * @param absentHeaders    headers that must not be there
 * @param rejectedBy       the interceptor that rejected the record ({@code sluice-rejected-by})
 * @param reason           a substring of {@code sluice-reason}
 * @param violations       substrings, one per violation the acknowledgement event reports
 * @param then             the next hop, or {@code null}
 */
public record Expectation(Outcome outcome, List<String> chain, String egressTopic, boolean keySet, String key,
                          boolean valueSet, JsonNode value, Map<String, String> headers,
                          Map<String, Pattern> headersMatching, List<String> absentHeaders, String rejectedBy,
                          String reason, List<String> violations, Expectation then) {
}

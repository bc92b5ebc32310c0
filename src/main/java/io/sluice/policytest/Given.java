package io.sluice.policytest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The record of a case, as a client writes it to an ingress topic.
 *
 * @param topic       the ingress topic; its route gives the vcluster
 * @param user        the header {@code sluice-user}, or {@code null}
 * @param groups      the header {@code sluice-groups} (joined with commas), or {@code null}
 * @param vcluster    the header {@code sluice-vcluster}, or {@code null} (only routes with
 *                    {@code vclusterFrom: header} trust it)
 * @param key         the key as UTF-8 text, or {@code null}
 * @param headers     further headers, in order
 * @param value       the value: text as it is, anything else as JSON; {@code null} for no value (a tombstone)
 * @param timestamp   the record's timestamp (epoch ms), or {@code null} for the time the test runs
 * @param signKeyFile signs the identity headers with this key, as {@code sluice produce --sign-key-file}, or
 *                    {@code null}
 * @param repeat      how many times the record is written, at one instant of the test's clock (for quotas); the
 *                    expectations are about the last one
 */
public record Given(String topic, String user, List<String> groups, String vcluster, String key,
                    Map<String, String> headers, JsonNode value, Long timestamp, Path signKeyFile, int repeat) {
}

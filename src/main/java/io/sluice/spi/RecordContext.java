package io.sluice.spi;

import java.util.Set;

/**
 * Who sent a record and where it came from, as an interceptor sees it.
 *
 * @param vcluster  the virtual cluster the route assigned ({@code default} when none)
 * @param username  the {@code sluice-user} header, or {@code null} for the anonymous user
 * @param groups    the {@code sluice-groups} header split on commas (never null)
 * @param topic     the ingress topic
 * @param partition the ingress partition
 * @param offset    the ingress offset
 * @param timestamp the ingress record's timestamp (epoch ms)
 */
public record RecordContext(String vcluster, String username, Set<String> groups,
                            String topic, int partition, long offset, long timestamp) {
}

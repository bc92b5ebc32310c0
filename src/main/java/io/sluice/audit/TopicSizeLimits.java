package io.sluice.audit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sluice.topology.RecordSizeLimits;

/**
 * The largest record each topic accepts: its {@code max.message.bytes}, described once per topic and cached,
 * capped by the producer's {@code max.request.size} (a larger record fails in the producer). The first record of
 * a topic waits for the description; when it fails (a topic being created), the producer's limit applies and the
 * description is tried again a few seconds later. A topic reconfigured while Sluice runs keeps its first limit
 * here until restart: the {@link RejectingProductionExceptionHandler} catches what slips through.
 */
public final class TopicSizeLimits implements RecordSizeLimits {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSizeLimits.class);
    private static final long DESCRIBE_TIMEOUT_MS = 10_000;
    private static final long RETRY_AFTER_MS = 5_000;

    private final Admin admin;
    private final int maxRequestSize;
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    private final Map<String, Long> retryAt = new ConcurrentHashMap<>();

    private final int batchSize;

    /**
     * @param maxRequestSize the producer's {@code max.request.size}
     * @param batchSize      the producer's {@code batch.size}
     */
    public TopicSizeLimits(final Admin admin, final int maxRequestSize, final int batchSize) {
        this.admin = admin;
        this.maxRequestSize = maxRequestSize;
        this.batchSize = batchSize;
    }

    @Override
    public int maxRecordBytes(final String topic) {
        final Integer known = limits.get(topic);
        return known != null ? known : describe(topic);
    }

    private int describe(final String topic) {
        final Long retry = retryAt.get(topic);
        if (retry != null && System.currentTimeMillis() < retry) {
            return maxRequestSize;
        }
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            final Config config = admin.describeConfigs(List.of(resource)).all()
                .get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(resource);
            final ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            final int maxMessageBytes = entry == null || entry.value() == null ? Integer.MAX_VALUE
                : Integer.parseInt(entry.value());
            if (maxMessageBytes < batchSize) {
                // The producer splits a refused batch into batches of batch.size again: refused again, for ever.
                LOG.warn("topic '{}' accepts batches of at most {} bytes (max.message.bytes), less than the producer's "
                    + "batch.size of {}: a batch of small records may be refused and retried until delivery.timeout.ms; "
                    + "raise max.message.bytes or lower producer.batch.size", topic, maxMessageBytes, batchSize);
            }
            final int limit = Math.min(maxRequestSize, maxMessageBytes);
            limits.put(topic, limit);
            retryAt.remove(topic);
            return limit;
        } catch (final ExecutionException | TimeoutException | RuntimeException e) {
            if (retryAt.put(topic, System.currentTimeMillis() + RETRY_AFTER_MS) == null) {
                LOG.warn("cannot describe topic '{}' (max.message.bytes), assuming {} bytes for now: {}", topic,
                    maxRequestSize, Failures.describe(e instanceof ExecutionException ? e.getCause() : e));
            }
            return maxRequestSize;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return maxRequestSize;
        }
    }
}

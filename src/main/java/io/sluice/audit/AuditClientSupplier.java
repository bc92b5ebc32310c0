package io.sluice.audit;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients with the audit around the two that matter: each stream thread's producer (egress writes,
 * transactions) and main consumer (ingress fetches, at-least-once commits). The restore and global consumers and
 * the admin client are the base supplier's.
 */
final class AuditClientSupplier implements KafkaClientSupplier {

    private final KafkaClientSupplier base;
    private final Audit audit;

    AuditClientSupplier(final KafkaClientSupplier base, final Audit audit) {
        this.base = base;
        this.audit = audit;
    }

    @Override
    public Admin getAdmin(final Map<String, Object> config) {
        return base.getAdmin(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(final Map<String, Object> config) {
        return new AuditingProducer(base.getProducer(config), audit, clientId(config, "-producer"));
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(final Map<String, Object> config) {
        return new AuditingConsumer(base.getConsumer(config), audit);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(final Map<String, Object> config) {
        return base.getRestoreConsumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(final Map<String, Object> config) {
        return base.getGlobalConsumer(config);
    }

    /**
     * Streams names a thread's clients {@code <client.id>-StreamThread-<n>-producer|consumer}: the thread is the
     * instance.
     */
    private static String clientId(final Map<String, Object> config, final String suffix) {
        final String clientId = String.valueOf(config.getOrDefault("client.id", "sluice"));
        return clientId.endsWith(suffix) ? clientId.substring(0, clientId.length() - suffix.length()) : clientId;
    }
}

package io.sluice.audit;

import io.sluice.avro.AckEvent;
import io.sluice.avro.CommitEvent;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaType;
import io.sluice.topology.TopologyFile;

/**
 * The audit in a schema registry (SPEC section 5): the ids under which the event schemas are registered
 * (subjects {@code <acks topic>-value} and {@code <commits topic>-value}, Kafka Connect's default naming), so that
 * events are written in the registry's wire format and Confluent-compatible deserializers read them as they are.
 *
 * @param ackSchemaId    the id of {@code AckEvent}'s schema
 * @param commitSchemaId the id of {@code CommitEvent}'s schema
 */
public record AuditFraming(int ackSchemaId, int commitSchemaId) {

    /**
     * Registers both event schemas (registering a schema the subject has already is a no-op that gives its id).
     *
     * @throws io.sluice.registry.SchemaRegistryException when the registry refuses them or cannot be reached within its timeout
     */
    public static AuditFraming register(final SchemaRegistryClient registry, final TopologyFile.AuditTopics topics) {
        return new AuditFraming(register(registry, topics.acks() + "-value", AckEvent.getClassSchema().toString()),
            register(registry, topics.commits() + "-value", CommitEvent.getClassSchema().toString()));
    }

    private static int register(final SchemaRegistryClient registry, final String subject, final String schema) {
        return registry.register(subject, SchemaType.AVRO, schema);
    }
}

package io.sluice.audit;

import io.sluice.avro.AckEvent;
import io.sluice.avro.AckEventBatch;
import io.sluice.avro.CommitEvent;
import io.sluice.registry.SchemaRegistryClient;
import io.sluice.registry.SchemaType;
import io.sluice.topology.TopologyFile;

/**
 * The audit in a schema registry (SPEC section 5): the ids under which the event schemas are registered
 * (subjects {@code <acks topic>-value} and {@code <commits topic>-value}, Kafka Connect's default naming), so that
 * events are written in the registry's wire format and Confluent-compatible deserializers read them as they are.
 * Batched acknowledgement events ({@code auditTopics.ackEvents: batched}) have a schema of their own, registered
 * under {@code <acks topic>-io.sluice.avro.AckEventBatch} (the topic-and-record-name strategy's subject): a
 * registry's compatibility rules for {@code <acks topic>-value} would refuse a second record type there.
 *
 * @param ackSchemaId    the id of {@code AckEvent}'s schema
 * @param commitSchemaId the id of {@code CommitEvent}'s schema
 * @param batchSchemaId  the id of {@code AckEventBatch}'s schema, or {@link #NOT_REGISTERED} when events are not
 *                       batched
 */
public record AuditFraming(int ackSchemaId, int commitSchemaId, int batchSchemaId) {

    public static final int NOT_REGISTERED = -1;

    /**
     * Registers the event schemas (registering a schema the subject has already is a no-op that gives its id).
     *
     * @param batched whether acknowledgement events are batched, so that {@code AckEventBatch} is registered too
     * @throws io.sluice.registry.SchemaRegistryException when the registry refuses them or cannot be reached within
     *                                                    its timeout
     */
    public static AuditFraming register(final SchemaRegistryClient registry, final TopologyFile.AuditTopics topics,
                                        final boolean batched) {
        return new AuditFraming(register(registry, topics.acks() + "-value", AckEvent.getClassSchema().toString()),
            register(registry, topics.commits() + "-value", CommitEvent.getClassSchema().toString()),
            batched ? register(registry, topics.acks() + "-" + AckEventBatch.getClassSchema().getFullName(),
                AckEventBatch.getClassSchema().toString()) : NOT_REGISTERED);
    }

    private static int register(final SchemaRegistryClient registry, final String subject, final String schema) {
        return registry.register(subject, SchemaType.AVRO, schema);
    }
}

package io.sluice.topology;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sluice.keys.KeyringSpec;
import io.sluice.registry.SchemaRegistrySettings;

/**
 * A valid topology file: the topics Sluice owns and the routes from ingress to egress (every field is documented
 * in topologies/default.yaml).
 * Only {@link TopologyFiles} builds one, after validating every field; {@link Routing} turns it into the
 * per-record lookup.
 *
 * @param applicationId       the Kafka Streams application id (also the consumer group and internal-topic prefix)
 * @param configTopic         the compacted topic of interceptor bindings
 * @param auditTopics         where acknowledgement and commit events go
 * @param rejectedTopic       where records rejected by an interceptor go, unchanged
 * @param processingGuarantee the Streams processing guarantee
 * @param routes              at least one route, in file order (pattern routes are tried in this order)
 * @param schemaRegistry      the schema registry of framed values and of the audit, or {@code null} for none
 * @param replication         replicas of the topics Sluice creates
 * @param keyTopic            the compacted topic of the keyrings' data keys
 * @param keyrings            the keyrings, by name (section 11 of the spec); empty when none
 */
public record TopologyFile(String applicationId, String configTopic, AuditTopics auditTopics, String rejectedTopic,
                           ProcessingGuarantee processingGuarantee, List<Route> routes,
                           SchemaRegistrySettings schemaRegistry, Replication replication, String keyTopic,
                           Map<String, KeyringSpec> keyrings) {

    public static final String DEFAULT_APPLICATION_ID = "sluice";
    public static final String DEFAULT_CONFIG_TOPIC = "_sluice_bindings";
    public static final String DEFAULT_REJECTED_TOPIC = "_sluice_rejected";
    public static final String DEFAULT_KEY_TOPIC = "_sluice_keys";

    public TopologyFile {
        routes = List.copyOf(routes);
        keyrings = Collections.unmodifiableMap(new LinkedHashMap<>(keyrings));
    }

    /** A topology without a schema registry or keyrings, its topics replicated as the broker's defaults say. */
    public TopologyFile(final String applicationId, final String configTopic, final AuditTopics auditTopics,
                        final String rejectedTopic, final ProcessingGuarantee processingGuarantee,
                        final List<Route> routes) {
        this(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes, null,
            Replication.BROKER_DEFAULTS, DEFAULT_KEY_TOPIC, Map.of());
    }

    /** The same without keyrings, its topics replicated as the broker's defaults say. */
    public TopologyFile(final String applicationId, final String configTopic, final AuditTopics auditTopics,
                        final String rejectedTopic, final ProcessingGuarantee processingGuarantee,
                        final List<Route> routes, final SchemaRegistrySettings schemaRegistry) {
        this(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes, schemaRegistry,
            Replication.BROKER_DEFAULTS, DEFAULT_KEY_TOPIC, Map.of());
    }

    /** A topology without a schema registry or keyrings, with that replication. */
    public TopologyFile(final String applicationId, final String configTopic, final AuditTopics auditTopics,
                        final String rejectedTopic, final ProcessingGuarantee processingGuarantee,
                        final List<Route> routes, final Replication replication) {
        this(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes, null,
            replication, DEFAULT_KEY_TOPIC, Map.of());
    }

    /** The same topology with another schema registry ({@code null}: none). */
    public TopologyFile withSchemaRegistry(final SchemaRegistrySettings registry) {
        return new TopologyFile(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes,
            registry, replication, keyTopic, keyrings);
    }

    /**
     * Replicas of the topics Sluice creates (config, audit, rejected, key, egress) and of Kafka Streams' internal
     * topics. An unset field leaves the broker's default ({@code default.replication.factor},
     * {@code min.insync.replicas}).
     *
     * @param factor             replicas per partition, or {@code null} for the broker's default
     * @param minInsyncReplicas  the topics' {@code min.insync.replicas}, or {@code null} for the broker's default
     */
    public record Replication(Integer factor, Integer minInsyncReplicas) {

        public static final Replication BROKER_DEFAULTS = new Replication(null, null);
    }

    /**
     * @param acks      one acknowledgement event per ingress record
     * @param commits   one commit event per offset commit
     * @param ackEvents how acknowledgement events are laid out in records, or {@code null} for the default
     *                  ({@link TopologyFile#batchedAcks()})
     */
    public record AuditTopics(String acks, String commits, AckEvents ackEvents) {

        public static final AuditTopics DEFAULT = new AuditTopics("_sluice_audit_acks", "_sluice_audit_commits");

        /** These topics, acknowledgement events laid out as the default says. */
        public AuditTopics(final String acks, final String commits) {
            this(acks, commits, null);
        }
    }

    /** How the acks topic holds acknowledgement events (topology field {@code auditTopics.ackEvents}). */
    public enum AckEvents {
        /** Several events per record ({@code AckEventBatch}), those whose keys share a partition: fewer records. */
        BATCHED("batched"),
        /** One {@code AckEvent} per record, for third-party readers that expect that. */
        SINGLE("single");

        private final String value;

        AckEvents(final String value) {
            this.value = value;
        }

        /** As written in a topology file. */
        public String value() {
            return value;
        }

        static Optional<AckEvents> fromValue(final String value) {
            return Arrays.stream(values()).filter(layout -> layout.value.equals(value)).findFirst();
        }
    }

    /**
     * Whether acknowledgement events are batched: as {@code auditTopics.ackEvents} says, by default batched unless a
     * schema registry is configured (the registry is there for third-party readers, which expect one event per
     * record).
     */
    public boolean batchedAcks() {
        return auditTopics.ackEvents() == null ? schemaRegistry == null : auditTopics.ackEvents() == AckEvents.BATCHED;
    }

    /** The topics Sluice writes besides egress topics: never routed, never an egress. */
    public Set<String> ownTopics() {
        return Set.of(configTopic, auditTopics.acks(), auditTopics.commits(), rejectedTopic, keyTopic);
    }
}

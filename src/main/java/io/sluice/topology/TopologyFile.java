package io.sluice.topology;

import java.util.List;
import java.util.Set;

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
 */
public record TopologyFile(String applicationId, String configTopic, AuditTopics auditTopics, String rejectedTopic,
                           ProcessingGuarantee processingGuarantee, List<Route> routes,
                           SchemaRegistrySettings schemaRegistry) {

    public static final String DEFAULT_APPLICATION_ID = "sluice";
    public static final String DEFAULT_CONFIG_TOPIC = "_sluice_bindings";
    public static final String DEFAULT_REJECTED_TOPIC = "_sluice_rejected";

    public TopologyFile {
        routes = List.copyOf(routes);
    }

    /** A topology without a schema registry. */
    public TopologyFile(final String applicationId, final String configTopic, final AuditTopics auditTopics,
                        final String rejectedTopic, final ProcessingGuarantee processingGuarantee,
                        final List<Route> routes) {
        this(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes, null);
    }

    /** The same topology with another schema registry ({@code null}: none). */
    public TopologyFile withSchemaRegistry(final SchemaRegistrySettings registry) {
        return new TopologyFile(applicationId, configTopic, auditTopics, rejectedTopic, processingGuarantee, routes,
            registry);
    }

    /**
     * @param acks    one acknowledgement event per ingress record
     * @param commits one commit event per offset commit
     */
    public record AuditTopics(String acks, String commits) {

        public static final AuditTopics DEFAULT = new AuditTopics("_sluice_audit_acks", "_sluice_audit_commits");
    }

    /** The topics Sluice writes besides egress topics: never routed, never an egress. */
    public Set<String> ownTopics() {
        return Set.of(configTopic, auditTopics.acks(), auditTopics.commits(), rejectedTopic);
    }
}

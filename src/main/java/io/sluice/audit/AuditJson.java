package io.sluice.audit;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AuditError;
import io.sluice.avro.AvroCodec;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.InterceptorError;
import io.sluice.avro.Scope;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.avro.Violation;
import io.sluice.common.Json;

/**
 * Audit events as plain JSON (README, "Audit"): no Avro union wrappers, {@code time} in epoch milliseconds, scope
 * levels in lower case, {@code egress} and {@code error} {@code null} when absent, unset scope fields {@code null}.
 */
public final class AuditJson {

    private AuditJson() {
    }

    /** The codec of the acks topic's values. */
    public static AvroCodec<AckEvent> ackCodec() {
        return AuditEvents.ACKS;
    }

    /** The codec of the commits topic's values. */
    public static AvroCodec<CommitEvent> commitCodec() {
        return AuditEvents.COMMITS;
    }

    public static ObjectNode ack(final AckEvent event) {
        final ObjectNode json = Json.object()
            .put("eventId", event.getEventId())
            .put("time", event.getTime().toEpochMilli())
            .put("applicationId", event.getApplicationId());
        final AckContext context = event.getContext();
        final ObjectNode contextJson = json.putObject("context")
            .put("vcluster", context.getVcluster())
            .put("username", context.getUsername());
        final ArrayNode groups = contextJson.putArray("groups");
        context.getGroups().forEach(groups::add);
        json.set("ingress", position(event.getIngress()));
        json.set("egress", event.getEgress() == null ? null : position(event.getEgress()));
        json.put("outcome", event.getOutcome().name());
        json.set("error", error(event.getError()));
        final ArrayNode chain = json.putArray("chain");
        for (final ChainEntry entry : event.getChain()) {
            final ObjectNode item = chain.addObject()
                .put("name", entry.getName())
                .put("plugin", entry.getPlugin())
                .put("level", entry.getLevel().name().toLowerCase(Locale.ROOT));
            final Scope scope = entry.getScope();
            item.putObject("scope")
                .put("vcluster", scope.getVcluster())
                .put("group", scope.getGroup())
                .put("username", scope.getUsername());
            item.put("priority", entry.getPriority());
        }
        final ArrayNode errors = json.putArray("interceptorErrors");
        for (final InterceptorError error : event.getInterceptorErrors()) {
            errors.addObject().put("interceptor", error.getInterceptor()).put("hook", error.getHook())
                .put("message", error.getMessage());
        }
        final ArrayNode violations = json.putArray("violations");
        for (final Violation violation : event.getViolations()) {
            violations.addObject().put("interceptor", violation.getInterceptor())
                .put("message", violation.getMessage());
        }
        // Only for records that carried a key id: every other event prints exactly the fields it always did.
        if (!event.getDataKeys().isEmpty()) {
            final ArrayNode dataKeys = json.putArray("dataKeys");
            event.getDataKeys().forEach(dataKeys::add);
        }
        return json;
    }

    public static ObjectNode commit(final CommitEvent event) {
        final ObjectNode json = Json.object()
            .put("eventId", event.getEventId())
            .put("time", event.getTime().toEpochMilli())
            .put("applicationId", event.getApplicationId())
            .put("instance", event.getInstance());
        final ArrayNode offsets = json.putArray("offsets");
        event.getOffsets().forEach(offset -> offsets.add(position(offset)));
        json.put("outcome", event.getOutcome().name());
        json.set("error", error(event.getError()));
        return json;
    }

    private static ObjectNode position(final TopicPartitionOffset position) {
        return Json.object()
            .put("topic", position.getTopic())
            .put("partition", position.getPartition())
            .put("offset", position.getOffset());
    }

    private static ObjectNode error(final AuditError error) {
        if (error == null) {
            return null;
        }
        return Json.object()
            .put("kind", error.getKind())
            .put("message", error.getMessage())
            .put("interceptor", error.getInterceptor());
    }
}

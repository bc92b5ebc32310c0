package io.sluice.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.avro.AckContext;
import io.sluice.avro.AckEvent;
import io.sluice.avro.AckOutcome;
import io.sluice.avro.AuditError;
import io.sluice.avro.BindingLevel;
import io.sluice.avro.ChainEntry;
import io.sluice.avro.CommitEvent;
import io.sluice.avro.CommitOutcome;
import io.sluice.avro.InterceptorError;
import io.sluice.avro.Scope;
import io.sluice.avro.TopicPartitionOffset;
import io.sluice.avro.Violation;
import io.sluice.common.Json;

class AuditJsonTest {

    private static final Instant TIME = Instant.ofEpochMilli(1_767_225_600_123L);

    @Test
    void anAckEventIsPlainJsonWithNullsForWhatIsAbsent() {
        // given
        final AckEvent event = new AckEvent("id-1", TIME, "sluice", new AckContext("payments", null, List.of("ops")),
            new TopicPartitionOffset("orders.in", 3, 42L), null, AckOutcome.REJECTED,
            new AuditError("REJECTION", "too big", "guard"),
            List.of(new ChainEntry("guard", "produce-policy", BindingLevel.VCLUSTER, new Scope("payments", null, null), 5)),
            List.of(new InterceptorError("mask", "onSend", "not JSON")), List.of(new Violation("guard", "no key")), List.of());

        // when
        final String json = Json.line(AuditJson.ack(event));

        // then
        assertEquals("{\"eventId\":\"id-1\",\"time\":1767225600123,\"applicationId\":\"sluice\","
            + "\"context\":{\"vcluster\":\"payments\",\"username\":null,\"groups\":[\"ops\"]},"
            + "\"ingress\":{\"topic\":\"orders.in\",\"partition\":3,\"offset\":42},\"egress\":null,"
            + "\"outcome\":\"REJECTED\",\"error\":{\"kind\":\"REJECTION\",\"message\":\"too big\",\"interceptor\":\"guard\"},"
            + "\"chain\":[{\"name\":\"guard\",\"plugin\":\"produce-policy\",\"level\":\"vcluster\","
            + "\"scope\":{\"vcluster\":\"payments\",\"group\":null,\"username\":null},\"priority\":5}],"
            + "\"interceptorErrors\":[{\"interceptor\":\"mask\",\"hook\":\"onSend\",\"message\":\"not JSON\"}],"
            + "\"violations\":[{\"interceptor\":\"guard\",\"message\":\"no key\"}]}", json);
    }

    @Test
    void aCommitEventIsPlainJson() {
        // given
        final CommitEvent event = new CommitEvent("c-1", TIME, "sluice", "sluice-1-StreamThread-1",
            List.of(new TopicPartitionOffset("orders.in", 0, 43L)), CommitOutcome.COMMITTED, null);

        // when
        final String json = Json.line(AuditJson.commit(event));

        // then
        assertEquals("{\"eventId\":\"c-1\",\"time\":1767225600123,\"applicationId\":\"sluice\","
            + "\"instance\":\"sluice-1-StreamThread-1\",\"offsets\":[{\"topic\":\"orders.in\",\"partition\":0,\"offset\":43}],"
            + "\"outcome\":\"COMMITTED\",\"error\":null}", json);
    }
}

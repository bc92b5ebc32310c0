package io.sluice.avro;

import java.time.Instant;
import java.util.List;

/** Sample records with every field set, and with every optional field left out. */
final class Events {

    static final Instant TIME = Instant.ofEpochMilli(1_767_225_600_123L);

    private Events() {
    }

    static AckEvent fullAck() {
        return AckEvent.newBuilder()
            .setEventId("5f0c1a52-8c4e-4a43-9d3e-6f1f8f8e2b10")
            .setTime(TIME)
            .setApplicationId("sluice")
            .setContext(new AckContext("payments", "alice", List.of("analysts", "ops")))
            .setIngress(new TopicPartitionOffset("orders.in", 3, 42L))
            .setEgress(new TopicPartitionOffset("orders.out", 3, 40L))
            .setOutcome(AckOutcome.REJECTED)
            .setError(new AuditError("REJECTED_BY_INTERCEPTOR", "value too large", "size-guard"))
            .setChain(List.of(
                new ChainEntry("add-trace-id", "header-injection", BindingLevel.GLOBAL, new Scope(null, null, null), 10),
                new ChainEntry("mask", "field-masking", BindingLevel.GROUP, new Scope("payments", "analysts", null), 20)))
            .setInterceptorErrors(List.of(new InterceptorError("mask", "onSend", "the value is not JSON")))
            .setViolations(List.of(new Violation("size-guard", "value is 2048 bytes, more than 1024")))
            .build();
    }

    static AckEvent minimalAck() {
        return AckEvent.newBuilder()
            .setEventId("e1")
            .setTime(TIME)
            .setApplicationId("sluice")
            .setContext(new AckContext("default", null, List.of()))
            .setIngress(new TopicPartitionOffset("orders.in", 0, 0L))
            .setEgress(null)
            .setOutcome(AckOutcome.ACKNOWLEDGED)
            .setError(null)
            .build();
    }

    static CommitEvent fullCommit() {
        return CommitEvent.newBuilder()
            .setEventId("c1")
            .setTime(TIME)
            .setApplicationId("sluice")
            .setInstance("sluice-1-StreamThread-1")
            .setOffsets(List.of(new TopicPartitionOffset("orders.in", 0, 43L), new TopicPartitionOffset("orders.in", 1, 7L)))
            .setOutcome(CommitOutcome.FAILED)
            .setError(new AuditError("COMMIT_FAILED", "the transaction was fenced", null))
            .build();
    }

    static CommitEvent minimalCommit() {
        return CommitEvent.newBuilder()
            .setEventId("c2")
            .setTime(TIME)
            .setApplicationId("sluice")
            .setInstance("sluice-1")
            .setOutcome(CommitOutcome.COMMITTED)
            .setError(null)
            .build();
    }

    static BindingKey fullKey() {
        return new BindingKey("mask", "payments", "analysts", null);
    }

    static BindingKey globalKey() {
        return new BindingKey("add-trace-id", null, null, null);
    }

    static BindingValue fullValue() {
        return BindingValue.newBuilder()
            .setPlugin("header-injection")
            .setPriority(10)
            .setTopics("orders\\..*")
            .setOnError(OnErrorAction.REJECT)
            .setConfig("{\"headers\":{\"x-trace-id\":\"{{uuid}}\"}}")
            .setAppliedBy("alice")
            .setAppliedAt(TIME)
            .setSource("bindings.yaml#2")
            .build();
    }

    static BindingValue minimalValue() {
        return BindingValue.newBuilder()
            .setPlugin("chaos")
            .setPriority(0)
            .setConfig("{}")
            .build();
    }
}

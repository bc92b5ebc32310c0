package io.sluice.topology;

import java.util.Arrays;
import java.util.Optional;

/** The two processing guarantees a topology file may ask for, spelled as Kafka Streams spells them. */
public enum ProcessingGuarantee {

    EXACTLY_ONCE_V2("exactly_once_v2"),
    AT_LEAST_ONCE("at_least_once");

    private final String streamsValue;

    ProcessingGuarantee(final String streamsValue) {
        this.streamsValue = streamsValue;
    }

    /** The value of the Streams config {@code processing.guarantee}, and of the topology-file field. */
    public String streamsValue() {
        return streamsValue;
    }

    static Optional<ProcessingGuarantee> fromStreamsValue(final String value) {
        return Arrays.stream(values()).filter(guarantee -> guarantee.streamsValue.equals(value)).findFirst();
    }
}

package io.sluice.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sluice.plugins.support.ConfigReader;
import io.sluice.spi.Acknowledgement;
import io.sluice.spi.CommittedOffset;
import io.sluice.spi.ConsumedRecord;
import io.sluice.spi.Interceptor;
import io.sluice.spi.InterceptorSetup;
import io.sluice.spi.RecordContext;
import io.sluice.spi.SendRecord;

/**
 * {@code recording}: writes every hook call, its creation and its close to a {@link Journal} as
 * {@code <label> <event>}, and marks every record it sees with a header {@code x-recorded: <label>} (added, so a
 * chain of several shows its order). Config: {@code label} (required).
 */
public final class RecordingFactory extends TestFactory {

    public static final String TYPE = "recording";
    public static final String HEADER = "x-recorded";

    private final Journal journal;

    public RecordingFactory(final Journal journal) {
        super(TYPE, required("label"));
        this.journal = journal;
    }

    @Override
    Interceptor create(final InterceptorSetup setup, final ConfigReader config) {
        final String label = config.requiredString("label");
        journal.add(label + " created");
        return new Recording(label, journal);
    }

    private static final class Recording implements Interceptor {

        private final String label;
        private final byte[] labelBytes;
        private final Journal journal;

        Recording(final String label, final Journal journal) {
            this.label = label;
            this.labelBytes = label.getBytes(StandardCharsets.UTF_8);
            this.journal = journal;
        }

        @Override
        public void onConsume(final List<ConsumedRecord> records) {
            journal.add(label + " onConsume " + records.size());
        }

        @Override
        public void onSend(final SendRecord record) {
            journal.add(label + " onSend " + at(record.context()));
            record.headers().add(HEADER, labelBytes);
        }

        @Override
        public void onAcknowledgement(final Acknowledgement acknowledgement, final Exception error) {
            journal.add(label + " onAcknowledgement " + at(acknowledgement.context()) + " " + acknowledgement.outcome()
                + (error == null ? "" : " " + error.getMessage()));
        }

        @Override
        public void onCommit(final List<CommittedOffset> offsets, final Exception error) {
            journal.add(label + " onCommit " + offsets);
        }

        @Override
        public void close() {
            journal.add(label + " close");
        }

        private static String at(final RecordContext context) {
            return context.topic() + "@" + context.offset();
        }
    }
}

package io.sluice.keys;

import java.util.Locale;
import java.util.Optional;

import io.sluice.spi.RecordContext;

/** What one data key of a keyring covers: the whole keyring, one vcluster, or one user. */
public enum DekScope {
    /** One data key (per version) for every record. */
    NONE,
    /** One data key per vcluster. */
    VCLUSTER,
    /** One data key per user: shredding a user's keys makes their encrypted fields unreadable for good. */
    USER;

    /** The lower-case name used in topology files and output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DekScope> fromLabel(final String label) {
        for (final DekScope scope : values()) {
            if (scope.label().equals(label)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /**
     * The scope value of a record: {@code ""} for {@link #NONE}; the vcluster; the user, and {@code ""} for the
     * anonymous user (records without {@code sluice-user} share one data key per keyring).
     */
    public String valueOf(final RecordContext context) {
        return switch (this) {
            case NONE -> "";
            case VCLUSTER -> context.vcluster();
            case USER -> context.username() == null ? "" : context.username();
        };
    }
}

package io.sluice.topology;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a record's identity headers: {@code sluice-user}, {@code sluice-groups} (comma separated) and
 * {@code sluice-vcluster}. A missing or empty header means "not given". A header that is not UTF-8, longer
 * than its limit, or given twice with different values makes the identity unreadable: such a record is
 * rejected with the reason rather than run under a guessed identity.
 */
public final class IdentityHeaders {

    public static final String USER = "sluice-user";
    public static final String GROUPS = "sluice-groups";
    public static final String VCLUSTER = "sluice-vcluster";

    static final int MAX_NAME_BYTES = 256;
    static final int MAX_GROUPS_BYTES = 16 * 1024;

    /**
     * A record's identity as its headers claim it.
     *
     * @param username the user, or {@code null} (anonymous)
     * @param groups   the groups (never null)
     * @param vcluster the {@code sluice-vcluster} header, or {@code null}; trusted only where the route allows
     * @param problem  why the identity cannot be read, or {@code null}
     */
    public record Identity(String username, Set<String> groups, String vcluster, String problem) {
    }

    private static final Identity ANONYMOUS = new Identity(null, Set.of(), null, null);

    private IdentityHeaders() {
    }

    /**
     * @param readVcluster whether to read {@code sluice-vcluster}: only routes that trust it do. Elsewhere the header
     *                     is ignored however it looks, so it cannot make the identity unreadable.
     */
    public static Identity read(final Headers headers, final boolean readVcluster) {
        byte[] user = null;
        byte[] groups = null;
        byte[] vcluster = null;
        for (final Header header : headers) {
            final String key = header.key();
            if (!key.startsWith("sluice-")) {
                continue;
            }
            final byte[] value = header.value();
            switch (key) {
                case USER -> {
                    if (user != null && !Arrays.equals(user, value)) {
                        return unreadable(USER + " is given twice with different values");
                    }
                    user = value;
                }
                case GROUPS -> {
                    if (groups != null && !Arrays.equals(groups, value)) {
                        return unreadable(GROUPS + " is given twice with different values");
                    }
                    groups = value;
                }
                case VCLUSTER -> {
                    if (!readVcluster) {
                        continue;
                    }
                    if (vcluster != null && !Arrays.equals(vcluster, value)) {
                        return unreadable(VCLUSTER + " is given twice with different values");
                    }
                    vcluster = value;
                }
                default -> {
                }
            }
        }
        if (user == null && groups == null && vcluster == null) {
            return ANONYMOUS;
        }
        try {
            return new Identity(text(USER, user, MAX_NAME_BYTES), groupSet(groups),
                text(VCLUSTER, vcluster, MAX_NAME_BYTES), null);
        } catch (final IllegalArgumentException e) {
            return unreadable(e.getMessage());
        }
    }

    private static Identity unreadable(final String problem) {
        return new Identity(null, Set.of(), null, problem);
    }

    /**
     * The header comes with every record, usually naming one or two groups: split it by hand into an array and
     * build the immutable set from that, without the intermediate sets and lists of {@code split} and a
     * {@code LinkedHashSet}.
     */
    private static Set<String> groupSet(final byte[] value) {
        final String text = text(GROUPS, value, MAX_GROUPS_BYTES);
        if (text == null) {
            return Set.of();
        }
        String[] names = new String[4];
        int count = 0;
        for (int from = 0; from <= text.length(); ) {
            final int comma = text.indexOf(',', from);
            final int end = comma < 0 ? text.length() : comma;
            final String name = text.substring(from, end).strip();
            if (!name.isEmpty()) {
                if (name.length() > MAX_NAME_BYTES) {
                    throw new IllegalArgumentException(GROUPS + " names a group longer than " + MAX_NAME_BYTES
                        + " characters");
                }
                if (count == names.length) {
                    names = Arrays.copyOf(names, count * 2);
                }
                names[count++] = name;
            }
            from = end + 1;
        }
        return distinct(names, count);
    }

    /** {@code Set.of} refuses duplicates; a header may repeat a group. */
    private static Set<String> distinct(final String[] names, final int count) {
        return switch (count) {
            case 0 -> Set.of();
            case 1 -> Set.of(names[0]);
            case 2 -> names[0].equals(names[1]) ? Set.of(names[0]) : Set.of(names[0], names[1]);
            default -> Set.copyOf(Arrays.asList(names).subList(0, count));
        };
    }

    /** The header as text; {@code null} when absent or blank. */
    private static String text(final String header, final byte[] value, final int maxBytes) {
        if (value == null || value.length == 0) {
            return null;
        }
        if (value.length > maxBytes) {
            throw new IllegalArgumentException(header + " is longer than " + maxBytes + " bytes (" + value.length + ")");
        }
        final String text = isAscii(value) ? new String(value, StandardCharsets.US_ASCII) : strictUtf8(header, value);
        final String stripped = text.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    private static boolean isAscii(final byte[] value) {
        for (final byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String strictUtf8(final String header, final byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException(header + " is not valid UTF-8");
        }
    }
}

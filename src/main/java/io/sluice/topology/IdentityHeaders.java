package io.sluice.topology;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.sluice.resolution.Chain;
import io.sluice.resolution.Context;

/**
 * Reads a record's identity headers: {@code sluice-user}, {@code sluice-groups} (comma separated) and
 * {@code sluice-vcluster}. A missing or empty header means "not given". A header that is not UTF-8, longer
 * than its limit, or given twice with different values makes the identity unreadable: such a record is
 * rejected with the reason rather than run under a guessed identity.
 *
 * <p>Every record carries these headers and most traffic comes from a few hundred identities: a readable identity
 * is cached by the raw bytes of its headers, so a record of a known identity costs a hash of those bytes, and the
 * strings and group set it gets are the same objects every time (cheap to compare in the resolver's cache).
 */
public final class IdentityHeaders {

    public static final String USER = "sluice-user";
    public static final String GROUPS = "sluice-groups";
    public static final String VCLUSTER = "sluice-vcluster";

    static final int MAX_NAME_BYTES = 256;
    static final int MAX_GROUPS_BYTES = 16 * 1024;

    /**
     * A record's identity as its headers claim it. The cached identities are shared by every record of theirs, so
     * one also remembers the last chain resolved for it ({@link Admission#chain}).
     */
    public static final class Identity {

        private final String username;
        private final Set<String> groups;
        private final String vcluster;
        private final String problem;
        /**
         * The last chain resolved for this identity, or {@code null}. Written and read by any stream thread without a
         * lock: a memo is immutable (final fields), so a thread sees a whole one or an older one, and an older one
         * only costs a resolution.
         */
        ChainMemo memo;

        /**
         * @param username the user, or {@code null} (anonymous)
         * @param groups   the groups (never null)
         * @param vcluster the {@code sluice-vcluster} header, or {@code null}; trusted only where the route allows
         * @param problem  why the identity cannot be read, or {@code null}
         */
        Identity(final String username, final Set<String> groups, final String vcluster, final String problem) {
            this.username = username;
            this.groups = groups;
            this.vcluster = vcluster;
            this.problem = problem;
        }

        /** The user, or {@code null} (anonymous). */
        public String username() {
            return username;
        }

        /** The groups (never null). */
        public Set<String> groups() {
            return groups;
        }

        /** The {@code sluice-vcluster} header, or {@code null}; trusted only where the route allows. */
        public String vcluster() {
            return vcluster;
        }

        /** Why the identity cannot be read, or {@code null}. */
        public String problem() {
            return problem;
        }
    }

    /** The chain of an identity's records of {@code topic} in {@code vcluster}, while the generation holds. */
    record ChainMemo(long generation, String topic, String vcluster, Chain chain) {
    }

    private static final Identity ANONYMOUS = new Identity(null, Set.of(), null, null);
    /**
     * The bound on cached identities. An entry is ~250 B (the header bytes twice, the strings, the group set), so the
     * cache holds at most ~35 MB however many users send. Past the bound Caffeine's W-TinyLFU policy keeps the
     * identities seen often and lets one-off ones go: a burst of new users does not evict the regulars, which the
     * earlier clear-when-full did (every 4,096 new identities, all of them).
     */
    static final int MAX_CACHED_IDENTITIES = 1 << 17;
    private static final Cache<RawIdentity, Identity> CACHE = Caffeine.newBuilder()
        .maximumSize(MAX_CACHED_IDENTITIES)
        // Evictions run on the thread that caused them, not on the common pool: no hand-off per miss.
        .executor(Runnable::run)
        .build();

    private IdentityHeaders() {
    }

    /** How many identities are cached now (for tests and metrics). */
    static long cachedIdentities() {
        CACHE.cleanUp();
        return CACHE.estimatedSize();
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
        final Identity cached = CACHE.getIfPresent(new RawIdentity(user, groups, vcluster));
        return cached != null ? cached : decodeAndCache(user, groups, vcluster);
    }

    private static Identity decodeAndCache(final byte[] user, final byte[] groups, final byte[] vcluster) {
        final Identity identity;
        try {
            identity = new Identity(text(USER, user, MAX_NAME_BYTES), groupSet(groups),
                text(VCLUSTER, vcluster, MAX_NAME_BYTES), null);
        } catch (final IllegalArgumentException e) {
            return unreadable(e.getMessage());
        }
        // The key keeps copies: a header's array belongs to the record, and could change after this.
        CACHE.put(new RawIdentity(copy(user), copy(groups), copy(vcluster)), identity);
        return identity;
    }

    private static byte[] copy(final byte[] value) {
        return value == null ? null : value.clone();
    }

    /** The identity headers' values as they came, compared by content. */
    private record RawIdentity(byte[] user, byte[] groups, byte[] vcluster) {
        @Override
        public boolean equals(final Object other) {
            return other instanceof RawIdentity that && Arrays.equals(user, that.user)
                && Arrays.equals(groups, that.groups) && Arrays.equals(vcluster, that.vcluster);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(user) + Arrays.hashCode(groups)) + Arrays.hashCode(vcluster);
        }
    }

    private static Identity unreadable(final String problem) {
        return new Identity(null, Set.of(), null, problem);
    }

    /**
     * Split by hand (no regex, no intermediate collections) into the resolver's own set, distinct and sorted, so
     * contexts made from this identity share it.
     */
    private static Set<String> groupSet(final byte[] value) {
        final String text = text(GROUPS, value, MAX_GROUPS_BYTES);
        if (text == null) {
            return Context.groupSet(List.of());
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
        return Context.groupSet(Arrays.asList(names).subList(0, count));
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

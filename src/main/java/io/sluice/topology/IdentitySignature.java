package io.sluice.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Signed identity ({@code identity: signed} on a route): the identity headers count only when the header
 * {@code sluice-identity-signature} carries a valid HMAC-SHA256 over them, made with the route's key.
 *
 * <p><b>Canonical form.</b> The MAC is computed over these bytes (no trailing newline):
 * <pre>
 * sluice-identity-v1\n
 * sluice-user:&lt;n&gt;:&lt;value&gt;\n
 * sluice-groups:&lt;n&gt;:&lt;value&gt;\n
 * sluice-vcluster:&lt;n&gt;:&lt;value&gt;
 * </pre>
 * where {@code <value>} is the header's raw value bytes exactly as on the record (not trimmed, not re-encoded) and
 * {@code <n>} their count in decimal ASCII; an absent header (or one with a null value) is {@code <n>} = 0 and no
 * bytes, the same as an empty one. With a header given more than once, the last one counts (identity reading
 * rejects repeated headers with different values anyway). The length prefix makes the form unambiguous whatever the
 * values hold. {@code sluice-identity-signature} is the standard base64 (with padding) of the 32-byte MAC.
 *
 * <p>The signature authenticates the identity, not the record: a signed identity header set copied onto another
 * record still verifies (no replay protection). Keys: base64 of at least 32 bytes, from a file or an environment
 * variable; never in the topology file, never logged or printed ({@link #toString()} names the source only).
 */
public final class IdentitySignature {

    public static final String HEADER = "sluice-identity-signature";
    static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] VERSION = "sluice-identity-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final String source;
    private final ThreadLocal<Mac> macs;

    private IdentitySignature(final byte[] key, final String source) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.source = source;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A signer/verifier for a key given as base64 text (at least 32 bytes once decoded). */
    public static IdentitySignature ofBase64(final String base64, final String source) {
        final byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " does not hold base64 text");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(source + " holds a key of " + key.length + " bytes; at least "
                + MIN_KEY_BYTES + " are needed");
        }
        return new IdentitySignature(key, source);
    }

    /** The key in a file (base64 text). */
    public static IdentitySignature fromFile(final Path file) {
        try {
            return ofBase64(Files.readString(file, StandardCharsets.US_ASCII), "the key file '" + file + "'");
        } catch (final IOException e) {
            throw new IllegalArgumentException("cannot read the key file '" + file + "': " + e.getClass().getSimpleName());
        }
    }

    /** The key in an environment variable (base64 text). */
    public static IdentitySignature fromEnv(final String variable) {
        final String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the environment variable '" + variable + "' is not set");
        }
        return ofBase64(value, "the environment variable '" + variable + "'");
    }

    /** The value of {@link #HEADER} for these identity header values (raw bytes; {@code null} = absent). */
    public String sign(final byte[] user, final byte[] groups, final byte[] vcluster) {
        return Base64.getEncoder().encodeToString(mac(user, groups, vcluster));
    }

    /** Signs the identity headers already on {@code headers}, replacing any signature there. */
    public void sign(final Headers headers) {
        final String signature = sign(last(headers, IdentityHeaders.USER), last(headers, IdentityHeaders.GROUPS),
            last(headers, IdentityHeaders.VCLUSTER));
        headers.remove(HEADER);
        headers.add(HEADER, signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** Why the identity headers are not validly signed, or {@code null} when they are. */
    public String problem(final Headers headers) {
        final Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length == 0) {
            return HEADER + " is missing: this route accepts signed identities only";
        }
        final byte[] given;
        try {
            given = Base64.getDecoder().decode(header.value());
        } catch (final IllegalArgumentException e) {
            return HEADER + " is not base64";
        }
        final byte[] expected = mac(last(headers, IdentityHeaders.USER), last(headers, IdentityHeaders.GROUPS),
            last(headers, IdentityHeaders.VCLUSTER));
        return MessageDigest.isEqual(expected, given) ? null
            : HEADER + " does not match the identity headers (wrong key, or the headers were changed)";
    }

    /** The canonical form (see the class comment). */
    static byte[] canonical(final byte[] user, final byte[] groups, final byte[] vcluster) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        out.writeBytes(VERSION);
        field(out, IdentityHeaders.USER, user);
        field(out, IdentityHeaders.GROUPS, groups);
        field(out, IdentityHeaders.VCLUSTER, vcluster);
        return out.toByteArray();
    }

    private static void field(final java.io.ByteArrayOutputStream out, final String name, final byte[] value) {
        final byte[] bytes = value == null ? new byte[0] : value;
        out.write('\n');
        out.writeBytes((name + ":" + bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
    }

    private byte[] mac(final byte[] user, final byte[] groups, final byte[] vcluster) {
        final Mac mac = macs.get();
        return mac.doFinal(canonical(user, groups, vcluster));
    }

    private Mac newMac() {
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] last(final Headers headers, final String name) {
        final Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }

    /** Names where the key comes from, never the key. */
    @Override
    public String toString() {
        return "IdentitySignature[key from " + source + "]";
    }
}

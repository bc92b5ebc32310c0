package io.sluice.topology;

import static io.sluice.topology.Bindings.binding;
import static io.sluice.topology.SluiceDriver.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testing.Journal;
import io.sluice.testing.TestPlugins;

/** {@code identity: signed} routes: the canonical form, signing and verifying, topology validation, the topology. */
class SignedIdentityTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});
    private static final String SHOW_CONTEXT = binding("show-context", "{}",
        "plugin: header-injection, priority: 0, config: {headers: {x-vcluster: '{{vcluster}}', x-user: '[{{user}}]'}}");

    @TempDir
    Path folder;

    // ---- the signature

    @Test
    void theCanonicalFormIsLengthPrefixedRawHeaderValues() {
        // given / when
        final byte[] canonical = IdentitySignature.canonical(utf8("alice"), utf8("a,b"), null);

        // then
        assertEquals("sluice-identity-v1\nsluice-user:5:alice\nsluice-groups:3:a,b\nsluice-vcluster:0:",
            new String(canonical, StandardCharsets.UTF_8));
    }

    @Test
    void theSignatureIsBase64HmacSha256OfTheCanonicalForm() throws Exception {
        // given
        final IdentitySignature signature = IdentitySignature.ofBase64(KEY, "test");
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));

        // when
        final String signed = signature.sign(utf8("alice"), utf8("a,b"), utf8("blue"));

        // then: anyone can compute it from the documented form
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(utf8(
            "sluice-identity-v1\nsluice-user:5:alice\nsluice-groups:3:a,b\nsluice-vcluster:4:blue"))), signed);
    }

    @Test
    void verifiesSignedHeadersAndSaysWhyOthersFail() {
        // given
        final IdentitySignature signature = IdentitySignature.ofBase64(KEY, "test");
        final Headers signed = headers("alice", "a,b");
        signature.sign(signed);

        // when / then
        assertNull(signature.problem(signed));
        assertEquals("sluice-identity-signature is missing: this route accepts signed identities only",
            signature.problem(headers("alice", "a,b")));
        final Headers tampered = headers("mallory", "a,b");
        tampered.add(IdentitySignature.HEADER, signed.lastHeader(IdentitySignature.HEADER).value());
        assertTrue(signature.problem(tampered).contains("does not match the identity headers"));
        final Headers moreGroups = headers("alice", "a,b,admins");
        moreGroups.add(IdentitySignature.HEADER, signed.lastHeader(IdentitySignature.HEADER).value());
        assertTrue(signature.problem(moreGroups).contains("does not match"));
        final Headers otherKey = headers("alice", "a,b");
        IdentitySignature.ofBase64(Base64.getEncoder().encodeToString(new byte[32]), "other").sign(otherKey);
        assertTrue(signature.problem(otherKey).contains("does not match"));
        final Headers garbage = headers("alice", "a,b");
        garbage.add(IdentitySignature.HEADER, utf8("%%%"));
        assertEquals("sluice-identity-signature is not base64", signature.problem(garbage));
    }

    @Test
    void keysAreBase64OfAtLeast32BytesAndNeverShown() {
        // given / when / then
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IdentitySignature.ofBase64(Base64.getEncoder().encodeToString(new byte[31]), "the file 'k'"))
            .getMessage().contains("31 bytes; at least 32"));
        assertEquals("the file 'k' does not hold base64 text", assertThrows(IllegalArgumentException.class,
            () -> IdentitySignature.ofBase64("not base64!", "the file 'k'")).getMessage());
        assertFalse(IdentitySignature.ofBase64(KEY, "the file 'k'").toString().contains(KEY));
    }

    // ---- topology files

    @Test
    void aSignedRouteNeedsExactlyOneKeySourceWithAGoodKey() throws Exception {
        // given
        final Path shortKey = Files.writeString(folder.resolve("short.key"),
            Base64.getEncoder().encodeToString(new byte[16]));

        // when / then
        assertEquals(List.of("routes[0].identity: 'signed' needs its key from exactly one of identityKeyFile and identityKeyEnv"),
            problems("identity: signed"));
        assertEquals(List.of("routes[0].identity: 'signed' needs its key from exactly one of identityKeyFile and identityKeyEnv"),
            problems("identity: signed, identityKeyFile: k, identityKeyEnv: K"));
        assertEquals(List.of("routes[0].identity: 'maybe' is not 'signed' or 'unsigned'"), problems("identity: maybe"));
        assertEquals(List.of("routes[0].identityKeyFile: is only for 'identity: signed'"), problems("identityKeyFile: k"));
        final List<String> tooShort = problems("identity: signed, identityKeyFile: '" + shortKey + "'");
        assertEquals(1, tooShort.size());
        assertTrue(tooShort.get(0).startsWith("routes[0].identityKeyFile: the key file '") && tooShort.get(0)
            .endsWith("holds a key of 16 bytes; at least 32 are needed"), tooShort.toString());
        assertEquals(List.of("routes[0].identityKeyEnv: the environment variable 'SLUICE_TEST_UNSET_KEY' is not set"),
            problems("identity: signed, identityKeyEnv: SLUICE_TEST_UNSET_KEY"));
    }

    private List<String> problems(final String routeOptions) throws Exception {
        final Path file = Files.writeString(folder.resolve("t.yaml"), """
            routes:
              - {ingress: a.in, egress: a.out, %s}
            """.formatted(routeOptions));
        final TopologyFiles.Result result = TopologyFiles.read(file);
        return result.problems().stream().map(Object::toString)
            .map(text -> text.substring(text.indexOf("routes[")))
            .collect(Collectors.toList());
    }

    // ---- the topology

    @Test
    void aSignedRouteRejectsUnsignedAndBadlySignedRecordsWithTheReason() throws Exception {
        // given: a route that requires signed identities, with its key in a file
        final Path keyFile = Files.writeString(folder.resolve("identity.key"), KEY + "\n");
        final String topology = """
            applicationId: sluice-signed
            processingGuarantee: at_least_once
            routes:
              - ingress: signed.in
                egress: signed.out
                vcluster: payments
                identity: signed
                identityKeyFile: '%s'
            """.formatted(keyFile);
        try (SluiceDriver sluice = new SluiceDriver(folder, topology, TestPlugins.registry(new Journal()))) {
            sluice.apply(SHOW_CONTEXT);
            final IdentitySignature signer = IdentitySignature.fromFile(keyFile);
            final Headers good = headers("alice", "a");
            signer.sign(good);
            final Headers forged = headers("admin", "a");
            forged.add(IdentitySignature.HEADER, good.lastHeader(IdentitySignature.HEADER).value());

            // when
            sluice.send("signed.in", record("k1", "v", good));
            sluice.send("signed.in", record("k2", "v", headers("alice", "a")));
            sluice.send("signed.in", record("k3", "v", forged));
            sluice.send("signed.in", record("k4", "v"));

            // then: the signed one passes under its identity; the others are rejected, saying why
            final List<TestRecord<String, String>> out = sluice.read("signed.out");
            assertEquals(1, out.size());
            assertEquals("[alice]", header(out.get(0), "x-user"));
            final List<TestRecord<String, String>> rejected = sluice.rejected();
            assertEquals(List.of("k2", "k3", "k4"), rejected.stream().map(TestRecord::key).toList());
            assertEquals("sluice-identity-signature is missing: this route accepts signed identities only",
                header(rejected.get(0), "sluice-reason"));
            assertTrue(header(rejected.get(1), "sluice-reason").contains("does not match the identity headers"));
            assertEquals("sluice", header(rejected.get(1), "sluice-rejected-by"));
            assertTrue(header(rejected.get(2), "sluice-reason").contains("is missing"),
                "even the anonymous identity must be signed");
        }
    }

    private static String header(final TestRecord<String, String> record, final String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Headers headers(final String user, final String groups) {
        final Headers headers = new RecordHeaders();
        headers.add(IdentityHeaders.USER, utf8(user));
        headers.add(IdentityHeaders.GROUPS, utf8(groups));
        return headers;
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static String randomKey() {
        final byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}

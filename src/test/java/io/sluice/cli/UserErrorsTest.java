package io.sluice.cli;

import static io.sluice.cli.CliTest.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors users cause end as one line that names what to fix, exit status 1 — never "internal error", never a
 * wait for a broker that a wrong setting would never reach. No broker runs: every one of these fails before.
 */
class UserErrorsTest {

    /** Nothing listens there; a command that got as far as connecting would time out instead. */
    private static final String NO_BROKER = "localhost:1";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "batch.size=abc            | batch.size          | Not a number of type INT",
        "producer.batch.size=abc   | producer.batch.size | Not a number of type INT",
        "max.request.size=1MB      | max.request.size    | Not a number of type INT",
        "acks=7                    | acks                | String must be one of",
        "linger.ms=-5              | linger.ms           | Value must be at least 0",
        "security.protocol=TLS     | security.protocol   | String must be one of",
        "consumer.fetch.min.bytes=x | consumer.fetch.min.bytes | Not a number of type INT",
        "key.serializer=com.example.Nope | key.serializer | could not be found"})
    void aClientSettingKafkaWouldRefuseIsOneLineNamingIt(final String line, final String setting,
                                                          final String reason) throws Exception {
        // given
        final Path config = Files.writeString(dir.resolve("client.properties"), line + "\n");

        // when: run (with a cluster given, so no embedded broker starts) and a command that reads bindings
        final CliTest.Run run = sluice("run", "--bootstrap-servers", NO_BROKER, "--command-config", config.toString(),
            "--data-dir", dir.resolve("data").toString());
        final CliTest.Run list = sluice("bindings", "list", "--bootstrap-servers", NO_BROKER,
            "--command-config", config.toString());

        // then
        for (final CliTest.Run result : List.of(run, list)) {
            assertOneLine(result, "--command-config " + config, "configuration " + setting + ":", reason);
        }
    }

    @Test
    void aClientThatCannotBeBuiltSaysWhy() throws Exception {
        // given: a key store that is not there
        final Path config = Files.writeString(dir.resolve("tls.properties"), """
            security.protocol=SSL
            ssl.keystore.location=/no/such/keystore.jks
            ssl.keystore.password=secret
            """);

        // when
        final CliTest.Run list = sluice("bindings", "list", "--bootstrap-servers", NO_BROKER,
            "--command-config", config.toString());

        // then: Kafka's "Failed to construct kafka consumer" with the reason under it
        assertOneLine(list, NO_BROKER, "/no/such/keystore.jks");
    }

    @ParameterizedTest
    @CsvSource({"0", "65536", "99999"})
    void aMetricsPortOutOfRangeIsOneLineBeforeAnythingStarts(final String port) {
        // when
        final CliTest.Run run = sluice("run", "--bootstrap-servers", NO_BROKER, "--metrics-port", port,
            "--data-dir", dir.resolve("data").toString());

        // then
        assertOneLine(run, "--metrics-port " + port, "between 1 and 65535");
    }

    @Test
    void aBrokenPluginJarIsOneLineForRunToo() throws Exception {
        // given
        final Path plugins = Files.createDirectories(dir.resolve("plugins"));
        final Path jar = Files.writeString(plugins.resolve("broken.jar"), "PK but not a zip");

        // when
        final CliTest.Run run = sluice("run", "--bootstrap-servers", NO_BROKER, "--plugin-path", plugins.toString(),
            "--data-dir", dir.resolve("data").toString());

        // then
        assertOneLine(run, jar.toString());
    }

    @Test
    void aTopologyValueOfTheWrongKindIsOneLineNamingTheField() throws Exception {
        // given
        final Path topology = Files.writeString(dir.resolve("topology.yaml"), """
            processingGuarantee: 7
            routes:
              - {ingress: a.in, egress: a.out, identity: signed, identityKeyEnv: SLUICE_TEST_UNSET_KEY}
            """);

        // when
        final CliTest.Run run = sluice("run", "--bootstrap-servers", NO_BROKER, "--topology", topology.toString(),
            "--data-dir", dir.resolve("data").toString());

        // then: every problem, on the one line
        assertOneLine(run, "processingGuarantee:", "routes[0].identityKeyEnv:", "SLUICE_TEST_UNSET_KEY");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "field-encryption  | {fields: [a], keyFile: \"a\\0b\"}  | spec.config.keyFile: 'a?b' is not a valid path",
        "schema-validation | {schemaFile: \"a\\0b\"}            | spec.config.schemaFile: 'a?b' is not a valid path"})
    // A path that is no path is a binding's shape; a folder (or text that is not UTF-8) at a well-formed path is found
    // by the instance that reads the file when it creates the interceptor (SchemaValidationTest).
    void aKeyOrSchemaFileThatIsNoPathNamesTheField(final String plugin, final String config, final String problem)
        throws Exception {
        // given
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: files}
            spec: {plugin: %s, priority: 1, config: %s}
            """.formatted(plugin, config.replace("DIR", dir.toString())));

        // when
        final CliTest.Run apply = sluice("bindings", "apply", "--dry-run", "-f", bindings.toString());

        // then: the problem line, then the summary
        assertEquals(SluiceCommand.EXIT_USER_ERROR, apply.status(), apply.err());
        assertTrue(apply.err().contains(problem.replace("DIR", dir.toString())), apply.err());
        assertTrue(apply.err().lines().allMatch(line -> !line.contains("internal error") && !line.contains("\tat ")),
            apply.err());
    }

    private static void assertOneLine(final CliTest.Run run, final String... mentions) {
        assertEquals(SluiceCommand.EXIT_USER_ERROR, run.status(), run.err());
        final List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("sluice: ") && !lines.get(0).contains("internal error"), run.err());
        for (final String mention : mentions) {
            assertTrue(lines.get(0).contains(mention), mention + " in: " + run.err());
        }
    }
}

package io.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.sluice.bindings.BindingId;
import io.sluice.bindings.BindingRecords;
import io.sluice.bindings.BindingScope;
import io.sluice.cli.SluiceCommand;
import io.sluice.reliability.SluiceProcess;
import io.sluice.testkit.FreePorts;
import io.sluice.testkit.KafkaCluster;
import io.sluice.testkit.TestRecord;

/**
 * The web console in a real headless Chromium, against {@code ./sluice run --console-port} on a real broker:
 * the bindings appear in the scope tree with the invalid record, the resolve form gives the chain {@code sluice
 * resolve} gives, a rejected record shows up in the audit explorer with its reason (and one written while the page
 * is open appears without a reload), the charts draw, and the API answers what the commands print. Then
 * {@code ./sluice console} beside the instance shows the same bindings. Writes a screenshot of each page.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsoleIT {

    @RegisterExtension
    static final KafkaCluster KAFKA = new KafkaCluster();

    /** Where the screenshots go; {@code -Dsluice.screenshots=docs/console} renews the README's. */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("sluice.screenshots", "target/console-screenshots"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path dir;

    private static Browser browser;
    private static SluiceProcess sluice;
    private static String console;
    private static Path topology;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.startOrSkip();
        KAFKA.createTopic("orders.in", 2);
        topology = Files.writeString(dir.resolve("topology.yaml"), """
            applicationId: sluice-console-it
            processingGuarantee: exactly_once_v2
            routes:
              - ingress: orders.in
                egress: orders.out
                vcluster: payments
            """);
        final int port = FreePorts.freePort();
        sluice = SluiceProcess.start(dir.resolve("sluice-run.log"), "run", "--bootstrap-servers",
            KAFKA.bootstrapServers(), "--topology", topology.toString(), "--data-dir", dir.resolve("data").toString(),
            "--console-port", Integer.toString(port));
        console = "http://127.0.0.1:" + port;

        // given: bindings at every level, published with the command line, and one invalid record written by another tool
        final Path bindings = Files.writeString(dir.resolve("bindings.yaml"), """
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: add-trace-id}
            spec: {plugin: header-injection, priority: 1, config: {headers: {x-trace-id: "{{uuid}}"}}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: orders-safeguards, scope: {vcluster: payments}}
            spec: {plugin: produce-policy, priority: 3, topics: "orders\\\\..*", config: {requireKey: true, action: BLOCK}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: strip-internal, scope: {vcluster: payments, username: alice}}
            spec: {plugin: header-removal, priority: 5, onError: reject, config: {pattern: "x-internal-.*"}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: tag-team, scope: {vcluster: payments, group: analysts}}
            spec: {plugin: header-injection, priority: 20, config: {headers: {x-team: analysts}}}
            ---
            apiVersion: sluice/v1
            kind: Interceptor
            metadata: {name: tag-team, scope: {group: auditors}}
            spec: {plugin: header-injection, priority: 20, config: {headers: {x-team: auditors}}}
            """);
        cli("bindings", "apply", "-f", bindings.toString());
        final Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producer, new ByteArraySerializer(),
            new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>("_sluice_bindings", BindingRecords.key(new BindingId("broken",
                new BindingScope("payments", null, null))), "not a binding".getBytes(StandardCharsets.UTF_8))).get();
        }

        // and: alice's record passes, bob's (no key) is rejected by the policy
        KAFKA.produce("orders.in",
            TestRecord.of("k1", "{\"id\":1}").header("sluice-user", "alice").header("sluice-groups", "analysts"),
            TestRecord.of(null, "{\"id\":2}").header("sluice-user", "bob"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sluice != null) {
                assertEquals(0, sluice.stop(), "sluice run stopped cleanly");
            }
        } finally {
            if (browser != null) {
                browser.close();
            }
        }
    }

    @Test
    void bindingsAppearInTheScopeTreeWithTheInvalidRecord() throws Exception {
        // when
        browser.driver.get(console + "/bindings");

        // then: each binding under its scope: global, vcluster payments, its group and user, and group auditors
        browser.await("the invalid record in the table", driver -> driver.findElement(By.id("invalid")).getText()
            .contains("broken"));
        final WebElement global = browser.await("the tree's root",
            driver -> driver.findElement(By.cssSelector("#tree > details[data-scope='global']")));
        assertTrue(global.findElement(By.cssSelector(":scope > [data-binding='add-trace-id@global']")).isDisplayed());
        final WebElement payments = global.findElement(By.cssSelector(":scope > details[data-scope='vcluster payments']"));
        assertTrue(payments.findElement(By.cssSelector(":scope > [data-binding='orders-safeguards@vcluster=payments']"))
            .getText().contains("plugin produce-policy · priority 3 · topics orders\\..* · onError (default)"));
        final WebElement analysts = payments.findElement(By.cssSelector(":scope > details[data-scope='group analysts']"));
        assertTrue(analysts.getText().contains("\"x-team\": \"analysts\""), "the config is shown: " + analysts.getText());
        assertTrue(payments.findElement(By.cssSelector(":scope > details[data-scope='user alice'] "
            + "[data-binding='strip-internal@vcluster=payments,username=alice']")).getText().contains("onError reject"));
        assertTrue(global.findElement(By.cssSelector(":scope > details[data-scope='group auditors'] "
            + "[data-binding='tag-team@group=auditors']")).isDisplayed());
        final String invalid = browser.driver.findElement(By.id("invalid")).getText();
        final String reason = io.sluice.common.Json.parse(cli("bindings", "list", "-o", "json").lines()
            .filter(line -> line.contains("\"invalid\"")).findFirst().orElseThrow()).get("reason").asText();
        assertTrue(invalid.contains("broken vcluster=payments " + reason), invalid + " vs " + reason);
        browser.screenshot(SCREENSHOTS.resolve("bindings.png"));
    }

    @Test
    void theResolveFormGivesTheChainSluiceResolveGives() throws Exception {
        // given
        browser.driver.get(console + "/resolve");

        // when: the form is filled in and sent
        type("vcluster", "payments");
        type("user", "alice");
        type("groups", "analysts,auditors");
        type("topic", "orders.in");
        browser.driver.findElement(By.cssSelector("#resolve-form button")).click();

        // then: the JSON is what the command prints, and the table lists the chain in its order
        final String expected = cli("resolve", "--vcluster", "payments", "--user", "alice", "--groups",
            "analysts,auditors", "--topic", "orders.in", "-o", "json").strip();
        browser.await("the resolved chain", driver -> !driver.findElement(By.id("chain-json")).getText().isEmpty());
        assertEquals(expected, browser.driver.findElement(By.id("chain-json")).getText());
        assertTrue(browser.driver.getCurrentUrl().contains("vcluster=payments&user=alice&groups=analysts%2Cauditors"),
            browser.driver.getCurrentUrl());
        final List<String> rows = browser.driver.findElements(By.cssSelector("#chain tbody tr")).stream()
            .map(WebElement::getText).toList();
        assertEquals(List.of(
            "1 add-trace-id header-injection 1 global global -",
            "2 orders-safeguards produce-policy 3 vcluster vcluster=payments orders\\..*",
            "3 strip-internal header-removal 5 username vcluster=payments,username=alice -",
            "4 tag-team header-injection 20 group vcluster=payments,group=analysts -",
            "5 tag-team header-injection 20 group group=auditors -"), rows);
        browser.screenshot(SCREENSHOTS.resolve("resolve.png"));
    }

    @Test
    void aRejectedRecordShowsUpInTheAuditExplorerWithItsReasonAndNewOnesArriveLive() throws Exception {
        // given: what the command line reads for bob's record
        final String reason = awaitCli("bob's rejection in the audit", () -> cli("audit", "acks", "--outcome",
            "rejected", "--user", "bob", "-o", "json"));
        final String message = io.sluice.common.Json.parse(reason.lines().findFirst().orElseThrow())
            .get("error").get("message").asText();

        // when
        browser.driver.get(console + "/audit?outcome=REJECTED");

        // then: the rejected record, with the interceptor and the reason
        final String row = browser.await("bob's rejected record", driver -> {
            final WebElement found = bobsRow(driver);
            return found == null ? null : found.getText();
        });
        assertTrue(row.contains("REJECTED"), row);
        assertTrue(row.contains("(orders-safeguards): " + message), row + " / " + message);

        // when: one opens it
        browser.await("a click on bob's record", driver -> {
            final WebElement found = bobsRow(driver);
            if (found == null) {
                return false;
            }
            found.click();
            return true;
        });

        // then: its context, coordinates, chain and error
        final String text = browser.await("the event's details",
            driver -> driver.findElement(By.cssSelector("#acks tr.details")).getText());
        assertTrue(text.contains("user bob"), text);
        assertTrue(text.contains("orders.in-"), text);
        assertTrue(text.contains("not written"), "a rejected record has no egress: " + text);
        assertTrue(text.contains("orders-safeguards — produce-policy, vcluster vcluster=payments, priority 3"), text);
        assertTrue(text.contains("add-trace-id — header-injection, global, priority 1"), text);

        // when: another rejected record is written while the page is open
        KAFKA.produce("orders.in", TestRecord.of(null, "{\"id\":3}").header("sluice-user", "carol"));

        // then: it appears without a reload, newest first, and the opened event stays open
        browser.await("carol's record, live", driver -> driver.findElements(By.cssSelector("#acks tr.event")).stream()
            .findFirst().map(first -> first.getText().contains("carol")).orElse(false));
        assertTrue(browser.await("the opened event", driver -> driver.findElement(By.cssSelector("#acks tr.details"))
            .getText()).contains("user bob"));
        browser.screenshot(SCREENSHOTS.resolve("audit.png"));
    }

    @Test
    void theOverviewChartsDrawTheInstancesRecordsAndInterceptors() throws Exception {
        // when
        browser.driver.get(console + "/");

        // then: every chart has a series with a positive point, drawn on its canvas
        for (final String chart : List.of("chart-records", "chart-calls", "chart-time")) {
            browser.await(chart + " with a positive point", driver -> (Boolean) browser.driver.executeScript(
                "const chart = Chart.getChart(arguments[0]);"
                    + "return !!chart && chart.data.datasets.some(d => d.data.some(v => v > 0));", chart));
        }
        for (final String chart : List.of("chart-records", "chart-calls", "chart-errors", "chart-time")) {
            final long painted = (Long) browser.driver.executeScript(
                "const canvas = document.getElementById(arguments[0]);"
                    + "const colour = Chart.getChart(canvas).data.datasets[0].borderColor;"
                    + "const [r, g, b] = [1, 3, 5].map(i => parseInt(colour.substr(i, 2), 16));"
                    + "const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                    + "let n = 0; for (let i = 0; i < pixels.length; i += 4) {"
                    + "  if (pixels[i + 3] > 200 && Math.abs(pixels[i] - r) < 8 && Math.abs(pixels[i + 1] - g) < 8"
                    + "      && Math.abs(pixels[i + 2] - b) < 8) n++; }"
                    + "return n;", chart);
            assertTrue(painted > 150, chart + ": its first series drew " + painted + " pixels");
        }
        final String records = (String) browser.driver.executeScript(
            "return Chart.getChart('chart-records').data.datasets.map(d => d.label).join(',');");
        assertEquals("ACKNOWLEDGED,FAILED,REJECTED", records);
        final String interceptors = (String) browser.driver.executeScript(
            "return Chart.getChart('chart-calls').data.datasets.map(d => d.label).sort().join(',');");
        assertTrue(interceptors.contains("add-trace-id") && interceptors.contains("orders-safeguards"), interceptors);
        assertTrue(browser.driver.findElement(By.id("routes")).getText().contains("orders.in orders.out payments"));
        assertTrue(browser.driver.findElement(By.id("bindings")).getText()
            .contains("tag-team vcluster=payments,group=analysts header-injection 20 - (default)"));
        browser.screenshot(SCREENSHOTS.resolve("overview.png"));
    }

    @Test
    void theApiAnswersWhatTheCommandsPrintAndBadQueriesGet400() throws Exception {
        assertEquals(lines(cli("bindings", "list", "-o", "json")), lines(api("/api/bindings").body()));
        assertEquals(cli("resolve", "--vcluster", "payments", "--user", "alice", "--groups", "analysts", "-o", "json"),
            api("/api/resolve?vcluster=payments&user=alice&groups=analysts").body());
        final String rejected = awaitCli("bob's rejection", () -> cli("audit", "acks", "--user", "bob", "-o", "json"));
        assertEquals(rejected, api("/api/audit/acks?user=bob").body());

        final HttpResponse<String> bad = api("/api/audit/acks?outcome=LOST");
        assertEquals(400, bad.statusCode());
        assertEquals("bad request: outcome 'LOST': not one of ACKNOWLEDGED, REJECTED, FAILED\n", bad.body());
        assertEquals(400, api("/audit?since=soon").statusCode());
        assertEquals(405, HTTP.send(HttpRequest.newBuilder(URI.create(console + "/api/bindings"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        // and: a bad link shows its reason in the browser, not a stack trace
        browser.driver.get(console + "/resolve?tenant=acme");
        assertEquals("bad request: unknown parameter 'tenant' (expected groups, topic, user, vcluster)",
            browser.driver.findElement(By.tagName("body")).getText().strip());
    }

    @Test
    void sluiceConsoleBesideTheInstanceShowsTheSameBindings() throws Exception {
        // given
        final int port = FreePorts.freePort();
        try (SluiceProcess standalone = SluiceProcess.start(dir.resolve("sluice-console.log"), "console",
            "--bootstrap-servers", KAFKA.bootstrapServers(), "--topology", topology.toString(),
            "--console-port", Integer.toString(port))) {
            final String url = "http://127.0.0.1:" + port;
            assertTrue(standalone.readyLine.startsWith("ready: console on " + url + "/"), standalone.readyLine);

            // then: the config topic as bindings list reads it, and the same chains
            assertEquals(lines(cli("bindings", "list", "-o", "json")), lines(get(url + "/api/bindings").body()));
            assertEquals(cli("resolve", "--vcluster", "payments", "--user", "alice", "-o", "json"),
                get(url + "/api/resolve?vcluster=payments&user=alice").body());
            browser.driver.get(url + "/bindings");
            browser.await("the tree beside the instance", driver -> !driver.findElements(
                By.cssSelector("[data-binding='tag-team@vcluster=payments,group=analysts']")).isEmpty());

            // when: records flow while it is open
            browser.driver.get(url + "/");
            KAFKA.produce("orders.in", TestRecord.of("o-10", "{\"id\":10}").header("sluice-user", "alice"),
                TestRecord.of(null, "{\"id\":11}").header("sluice-user", "carol"));

            // then: its charts count them from the acknowledgement events: records by outcome, records per
            // interceptor; the time per call only the instance knows, and the note says so
            for (final String chart : List.of("chart-records", "chart-calls")) {
                browser.await(chart + " with a positive point", driver -> (Boolean) browser.driver.executeScript(
                    "const chart = Chart.getChart(arguments[0]);"
                        + "return !!chart && chart.data.datasets.some(d => d.data.some(v => v > 0));", chart));
            }
            assertEquals("ACKNOWLEDGED,REJECTED", browser.driver.executeScript(
                "return Chart.getChart('chart-records').data.datasets.filter(d => d.data.some(v => v > 0))"
                    + ".map(d => d.label).sort().join(',');"));
            assertEquals("drawn, no point", browser.driver.executeScript(
                "const chart = Chart.getChart('chart-time');"
                    + "return !chart ? 'missing' : chart.data.datasets.some(d => d.data.some(v => v > 0))"
                    + " ? 'has a point' : 'drawn, no point';"), "the time per call is not in the events");
            final String note = browser.driver.findElement(By.id("metrics-note")).getText();
            assertTrue(note.contains("from the acknowledgement events") && note.contains("sluice run --console-port"),
                note);
            assertEquals(0, standalone.stop(), "sluice console stopped cleanly");
        }
    }

    private static WebElement bobsRow(final org.openqa.selenium.WebDriver driver) {
        return driver.findElements(By.cssSelector("#acks tr.event")).stream()
            .filter(tr -> tr.getText().contains("bob")).findFirst().orElse(null);
    }

    private static void type(final String field, final String value) {
        final WebElement input = browser.driver.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }

    private static Set<String> lines(final String text) {
        return text.lines().filter(line -> !line.isBlank()).collect(Collectors.toSet());
    }

    private static HttpResponse<String> api(final String path) throws Exception {
        return get(console + path);
    }

    private static HttpResponse<String> get(final String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a command in this JVM against the test broker; fails with its error output unless it exits 0. */
    static String cli(final String... args) {
        final String[] withServers = Stream.concat(Stream.of(args),
            Stream.of("--bootstrap-servers", KAFKA.bootstrapServers())).toArray(String[]::new);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(withServers, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, status, () -> "sluice " + String.join(" ", args) + " failed: " + err);
        return out.toString();
    }

    /** Repeats a command until it prints something (the audit event may not be committed yet). */
    private static String awaitCli(final String what, final java.util.function.Supplier<String> command)
        throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String output;
        while ((output = command.get()).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(500);
        }
        return output;
    }

}

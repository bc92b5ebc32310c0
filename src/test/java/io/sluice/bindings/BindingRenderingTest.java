package io.sluice.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.common.Json;
import io.sluice.spi.OnError;

/** {@code bindings list -o yaml|json}: what it prints is what {@code apply -f} reads back. */
class BindingRenderingTest {

    private static final List<Binding> BINDINGS = List.of(
        new Binding(new BindingId("add-trace-id", new BindingScope("payments", null, "alice")), "header-injection", 10,
            Pattern.compile("orders\\..*|tenant-[a-z]+\\.in"), OnError.SKIP,
            config("{\"headers\":{\"x-trace-id\":\"{{uuid}}\",\"x-n\":\"10\",\"x-b\":\"true\",\"x-null\":\"null\","
                + "\"x-empty\":\"\",\"x-colon\":\"a: b\",\"x-hash\":\"# no comment\",\"x-lines\":\"one\\ntwo\"}}")),
        new Binding(new BindingId("mask", BindingScope.GLOBAL), "field-masking", 0, null, null, Json.object()),
        new Binding(new BindingId("mask", new BindingScope(null, "analysts", null)), "field-masking", 5, null, OnError.REJECT,
            config("{\"fields\":[{\"path\":\"card.number\",\"strategy\":\"LAST_N\",\"n\":4}],\"ratio\":0.5,\"on\":true}")));

    @TempDir
    Path dir;

    @Test
    void rendersTheResourceForm() {
        // when
        final JsonNode resource = BindingResources.toResource(BINDINGS.get(1));

        // then
        assertEquals(config("""
            {"apiVersion": "sluice/v1", "kind": "Interceptor", "metadata": {"name": "mask"},
             "spec": {"plugin": "field-masking", "priority": 0, "config": {}}}"""), resource);
    }

    @Test
    void yamlReadsBackAsTheSameBindings() throws IOException {
        // given
        final Path file = Files.writeString(dir.resolve("list.yaml"), BindingResources.toYaml(BINDINGS));

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(), result.problems());
        assertEquals(BINDINGS, result.bindings());
    }

    @Test
    void jsonReadsBackAsTheSameBindings() throws IOException {
        // given
        final Path file = Files.writeString(dir.resolve("list.json"), BindingResources.toJson(BINDINGS));

        // when
        final BindingResources.Result result = BindingResources.read(file, StubPlugins.registry());

        // then
        assertEquals(List.of(), result.problems());
        assertEquals(BINDINGS, result.bindings());
    }

    @Test
    void rendersNothingForNoBindings() {
        assertEquals("", BindingResources.toYaml(List.of()));
        assertEquals("[ ]" + System.lineSeparator(), BindingResources.toJson(List.of()));
    }

    private static JsonNode config(final String json) {
        try {
            return Json.parse(json);
        } catch (final IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

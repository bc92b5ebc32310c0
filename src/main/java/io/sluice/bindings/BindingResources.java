package io.sluice.bindings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.sluice.common.Document;
import io.sluice.common.Documents;
import io.sluice.common.Json;
import io.sluice.common.Problem;
import io.sluice.plugins.PluginRegistry;

/**
 * Binding resources in files: reading and validating them for {@code bindings apply} and {@code resolve -f},
 * and writing bindings back in the same form for {@code bindings list -o yaml|json}.
 */
public final class BindingResources {

    /**
     * One valid resource.
     *
     * @param source where it was read, e.g. {@code bindings.yaml#2}
     */
    public record Resource(String source, Binding binding) {
    }

    /**
     * What a read found. Publish only when {@link #isValid()}: {@code resources} holds the resources that are
     * valid on their own, for tools that want to show them anyway.
     */
    public record Result(List<Resource> resources, List<Problem> problems) {

        public Result {
            resources = List.copyOf(resources);
            problems = List.copyOf(problems);
        }

        public boolean isValid() {
            return problems.isEmpty();
        }

        public List<Binding> bindings() {
            return resources.stream().map(Resource::binding).toList();
        }
    }

    private BindingResources() {
    }

    /** Reads a file (one or many resources) or a folder of them, and validates every resource. */
    public static Result read(final Path fileOrFolder, final PluginRegistry plugins) {
        final Documents.ReadResult read = Documents.read(fileOrFolder);
        final Result validated = validate(read.documents(), plugins);
        final List<Problem> problems = new ArrayList<>(read.problems());
        problems.addAll(validated.problems());
        return new Result(validated.resources(), problems);
    }

    /**
     * Validates documents read together, as one apply: every resource on its own, then that no identity
     * (name and scope) appears twice. Both places of a duplicate are reported and neither is kept.
     */
    public static Result validate(final List<Document> documents, final PluginRegistry plugins) {
        final BindingValidator validator = new BindingValidator(plugins);
        final List<Problem> problems = new ArrayList<>();
        final Map<BindingId, List<Resource>> byId = new LinkedHashMap<>();
        for (final Document document : documents) {
            final BindingValidator.Validated validated = validator.validate(document.source(), document.content());
            problems.addAll(validated.problems());
            if (validated.isValid()) {
                byId.computeIfAbsent(validated.binding().id(), id -> new ArrayList<>())
                    .add(new Resource(document.source(), validated.binding()));
            }
        }
        final List<Resource> resources = new ArrayList<>();
        byId.values().forEach(same -> {
            if (same.size() == 1) {
                resources.add(same.get(0));
            } else {
                same.forEach(resource -> problems.add(duplicate(resource, same)));
            }
        });
        return new Result(resources, problems);
    }

    private static Problem duplicate(final Resource resource, final List<Resource> same) {
        final String others = same.stream()
            .filter(other -> other != resource)
            .map(other -> other.source() + " (" + other.binding().name() + ")")
            .collect(Collectors.joining(", "));
        return new Problem(resource.source() + " (" + resource.binding().name() + ")", "metadata",
            "the same interceptor (name " + resource.binding().name() + ", scope " + resource.binding().scope()
                + ") is also defined at " + others);
    }

    /** A binding as a resource, the form {@code apply} reads: unset scope fields, topics and onError are left out. */
    public static ObjectNode toResource(final Binding binding) {
        final ObjectNode resource = Json.object();
        resource.put("apiVersion", BindingValidator.API_VERSION);
        resource.put("kind", BindingValidator.KIND);
        final ObjectNode metadata = resource.putObject("metadata");
        metadata.put("name", binding.name());
        final BindingScope scope = binding.scope();
        if (scope.level() != ScopeLevel.GLOBAL) {
            final ObjectNode scopeNode = metadata.putObject("scope");
            putIfSet(scopeNode, "vcluster", scope.vcluster());
            putIfSet(scopeNode, "group", scope.group());
            putIfSet(scopeNode, "username", scope.username());
        }
        final ObjectNode spec = resource.putObject("spec");
        spec.put("plugin", binding.plugin());
        spec.put("priority", binding.priority());
        putIfSet(spec, "topics", binding.topics() == null ? null : binding.topicsText());
        putIfSet(spec, "onError", binding.onError() == null ? null : binding.onError().label());
        spec.set("config", binding.config().deepCopy());
        return resource;
    }

    /** Bindings as YAML documents separated by {@code ---}; {@code apply -f} reads them back unchanged. */
    public static String toYaml(final Collection<Binding> bindings) {
        // Quote strings that look like numbers, or "10" in a config would come back as 10.
        final ObjectWriter writer = Json.YAML.writer().with(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS);
        return bindings.stream().map(binding -> write(writer, toResource(binding))).collect(Collectors.joining("---\n"));
    }

    /** Bindings as a JSON array of resources, pretty-printed; {@code apply -f} reads it back unchanged. */
    public static String toJson(final Collection<Binding> bindings) {
        final ArrayNode array = Json.MAPPER.createArrayNode();
        bindings.forEach(binding -> array.add(toResource(binding)));
        return write(Json.MAPPER.writerWithDefaultPrettyPrinter(), array) + System.lineSeparator();
    }

    private static String write(final ObjectWriter writer, final JsonNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write a JSON tree", e);
        }
    }

    private static void putIfSet(final ObjectNode node, final String field, final String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

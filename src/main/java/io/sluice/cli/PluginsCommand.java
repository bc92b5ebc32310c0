package io.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.common.Json;
import io.sluice.plugins.PluginRegistry;
import io.sluice.spi.ConfigField;
import io.sluice.spi.InterceptorFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "Lists the plugin types (built-in, and custom ones from the plugin path), the jar each came from, "
        + "and their config fields.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "table",
        description = "table, or json (one object per plugin per line). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Mixin
    PluginPathOptions plugins;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PluginRegistry registry = plugins.registry();
        if (output == OutputFormat.table) {
            registry.factories().forEach(factory -> printTable(out, factory, registry.origin(factory)));
        } else if (output == OutputFormat.json) {
            registry.factories().forEach(factory -> out.println(Json.line(toJson(factory, registry.origin(factory)))));
        } else {
            throw new UserException("plugins: -o " + output + " is not supported; use table or json");
        }
        out.flush();
        return 0;
    }

    private static void printTable(final PrintWriter out, final InterceptorFactory factory, final String origin) {
        out.println(factory.type() + "  (" + origin + "; onError default: " + factory.defaultOnError().label() + ")");
        out.println("  " + factory.description());
        final Table fields = new Table("  FIELD", "TYPE", "REQUIRED", "DEFAULT", "DESCRIPTION");
        for (final ConfigField field : factory.configFields()) {
            fields.row("  " + field.name(), field.type(), field.required() ? "yes" : "no", field.defaultValue(),
                field.description());
        }
        fields.print(out);
        out.println();
    }

    static ObjectNode toJson(final InterceptorFactory factory, final String origin) {
        final ObjectNode plugin = Json.object()
            .put("type", factory.type())
            .put("class", factory.getClass().getName())
            .put("source", origin)
            .put("description", factory.description())
            .put("defaultOnError", factory.defaultOnError().label());
        final ArrayNode fields = plugin.putArray("fields");
        for (final ConfigField field : factory.configFields()) {
            fields.addObject()
                .put("name", field.name())
                .put("type", field.type())
                .put("required", field.required())
                .put("default", field.defaultValue())
                .put("description", field.description());
        }
        return plugin;
    }
}

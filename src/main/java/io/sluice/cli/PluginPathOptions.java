package io.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.sluice.plugins.PluginLoadException;
import io.sluice.plugins.PluginRegistry;
import picocli.CommandLine.Option;

/**
 * {@code --plugin-path DIR} (repeatable), for every command that reads bindings: the folders custom plugin jars
 * are loaded from, as Kafka Connect's {@code plugin.path}. Default: the folders of {@code $SLUICE_PLUGIN_PATH}
 * (colon separated), else {@code plugins/} beside the {@code sluice} launcher when that folder exists.
 */
final class PluginPathOptions {

    static final String PLUGIN_PATH_ENV = "SLUICE_PLUGIN_PATH";

    @Option(names = "--plugin-path", paramLabel = "DIR",
        description = {"A folder of plugin jars (repeatable): each jar, and each sub-folder of jars, is one plugin "
            + "with its own class loader.",
            "Default: the folders of $" + PLUGIN_PATH_ENV + " (colon separated), else plugins/ beside the launcher."})
    List<Path> folders;

    private PluginRegistry registry;

    /** The built-in plugins and those of the plugin path; loaded once per command. */
    PluginRegistry registry() {
        if (registry == null) {
            try {
                registry = PluginRegistry.load(folders());
            } catch (final PluginLoadException e) {
                throw new UserException(e.getMessage());
            }
        }
        return registry;
    }

    /** The folders in force: given ones must exist; the launcher's {@code plugins/} only when it does. */
    List<Path> folders() {
        if (folders != null && !folders.isEmpty()) {
            return folders;
        }
        final String fromEnvironment = System.getenv(PLUGIN_PATH_ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Arrays.stream(fromEnvironment.split(":")).map(String::strip).filter(part -> !part.isEmpty())
                .map(Path::of).toList();
        }
        final String home = System.getenv("SLUICE_HOME");
        if (home == null) {
            return List.of();
        }
        final Path beside = Path.of(home, "plugins");
        return Files.isDirectory(beside) ? List.of(beside) : List.of();
    }
}

package io.sluice.cli;

import io.sluice.console.ConsoleData;
import io.sluice.console.ConsoleServer;
import io.sluice.runtime.StartupException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --console-port} and {@code --console-host}, shared by {@code run} and {@code console}. */
final class ConsoleOptions {

    static final String DEFAULT_HOST = "127.0.0.1";

    @Option(names = "--console-port", paramLabel = "PORT",
        description = "Serve the web console on http://HOST:PORT/ (read-only; pages /, /bindings, /resolve, /audit "
            + "and JSON under /api/).")
    Integer port;

    @Option(names = "--console-host", paramLabel = "HOST", defaultValue = DEFAULT_HOST,
        description = "The address the console binds to. Default: ${DEFAULT-VALUE} (this machine only).")
    String host;

    /** Checks the options before anything is started. */
    void validate(final CommandSpec spec) {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new ParameterException(spec.commandLine(), "--console-port " + port + ": not a port (0-65535)");
        }
        if (host == null || host.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--console-host: must not be empty");
        }
    }

    ConsoleServer start(final ConsoleData data) {
        try {
            return ConsoleServer.start(data, host, port);
        } catch (final StartupException e) {
            throw new UserException(e.getMessage());
        }
    }
}

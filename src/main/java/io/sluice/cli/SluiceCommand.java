package io.sluice.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice}: the one executable. Every error reaches the user as one line and a non-zero exit status. */
@Command(name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCommand.Version.class,
    description = "Applies scoped interceptor chains to Kafka records.",
    subcommands = {
        RunCommand.class,
        BrokerCommand.class,
        ResolveCommand.class,
        BindingsCommand.class,
        ProduceCommand.class,
        AuditCommand.class,
        PluginsCommand.class,
        TestCommand.class,
        KeysCommand.class,
        ConsoleCommand.class,
        CommandLine.HelpCommand.class
    })
public final class SluiceCommand implements Runnable {

    /** Exit status for input the user can fix: bad files, invalid bindings, unreachable brokers. */
    static final int EXIT_USER_ERROR = 1;
    /** Exit status for a command line picocli cannot parse. */
    static final int EXIT_USAGE = 2;
    /** Exit status for our own bugs. */
    static final int EXIT_INTERNAL = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(final String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given output streams; returns the exit status (for tests too). */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err) {
        final CommandLine commandLine = new CommandLine(new SluiceCommand())
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(SluiceCommand::usageError)
            .setExecutionExceptionHandler(SluiceCommand::executionError);
        return commandLine.execute(args);
    }

    private static int usageError(final CommandLine.ParameterException e, final String[] args) {
        final CommandLine command = e.getCommandLine();
        final PrintWriter err = command.getErr();
        err.println("sluice: " + oneLine(e.getMessage()));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return EXIT_USAGE;
    }

    private static int executionError(final Exception e, final CommandLine command,
                                      final CommandLine.ParseResult parseResult) {
        final PrintWriter err = command.getErr();
        if (e instanceof UserException) {
            err.println("sluice: " + oneLine(e.getMessage()));
            return EXIT_USER_ERROR;
        }
        err.println("sluice: internal error: " + oneLine(String.valueOf(e)));
        if (System.getenv("SLUICE_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set SLUICE_DEBUG=1 to see the stack trace)");
        }
        return EXIT_INTERNAL;
    }

    /**
     * A client's error with what caused it, in one line: Kafka wraps the reason a setting is wrong ("Failed to
     * load SSL keystore /x", "Unexpected SASL mechanism: FOO") in "Failed to construct kafka consumer".
     */
    static String withCauses(final Throwable error) {
        final StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            final String message = cause.getMessage();
            if (message != null && !text.toString().contains(message)) {
                text.append(": ").append(message);
            }
        }
        return oneLine(text.toString());
    }

    static String oneLine(final String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = SluiceCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "(development build)" : version)};
        }
    }
}

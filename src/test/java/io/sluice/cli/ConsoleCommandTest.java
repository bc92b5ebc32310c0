package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console's options are checked before anything starts: one line, exit status 2. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleCommandTest {

    @Test
    void consoleNeedsAPort() {
        final String[] run = run("console", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals("2", run[0]);
        assertTrue(run[2].startsWith("sluice: --console-port is required\n"), run[2]);
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeKafkaIsAsked() {
        for (final String command : new String[] {"console", "run"}) {
            final String[] run = run(command, "--bootstrap-servers", "127.0.0.1:1", "--console-port", "70000");
            assertEquals("2", run[0], command + ": " + run[2]);
            assertTrue(run[2].startsWith("sluice: --console-port 70000: not a port (0-65535)\n"), run[2]);
        }
    }

    @Test
    void helpNamesTheConsoleOptions() {
        final String[] run = run("run", "--help");
        assertEquals("0", run[0]);
        assertTrue(run[1].contains("--console-port=PORT") && run[1].contains("--console-host=HOST"), run[1]);
    }

    private static String[] run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = SluiceCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }
}

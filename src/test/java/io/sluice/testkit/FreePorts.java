package io.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports that were free a moment ago, for servers that must be told their port (the embedded broker). */
public final class FreePorts {

    private FreePorts() {
    }

    /** A free port {@code p} with {@code p + 1} free too: the embedded broker's default controller port. */
    public static int freePortPair() {
        for (int attempt = 0; attempt < 50; attempt++) {
            final int port = freePort();
            if (port < 65535 && isFree(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two consecutive free ports found");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}

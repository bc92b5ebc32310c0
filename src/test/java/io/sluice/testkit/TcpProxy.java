package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a real server, to take the server out of reach and bring it back without
 * restarting it (a restarted in-memory registry would forget its schemas). {@link #cut()} drops every connection,
 * and while it is cut every new connection is closed as soon as it is accepted: clients see their connections end,
 * as with a server that is down. The proxy keeps its port all along, so that nothing else can take the port and
 * answer in the server's place; {@link #restore()} forwards connections again.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean forwarding = true;

    public TcpProxy(final int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot listen on a loopback port", e);
        }
        final Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Forwards new connections again (idempotent). */
    public void restore() {
        forwarding = true;
    }

    /** Drops every open connection and refuses new ones until {@link #restore()} (idempotent). */
    public void cut() {
        forwarding = false;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket client = server.accept();
                if (!forwarding) {
                    closeQuietly(client);
                    continue;
                }
                final Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                if (!forwarding) {
                    // cut() ran while this connection was being set up
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (final IOException e) {
                // closed by close(), or the target refused: the client sees its connection end
            }
        }
    }

    private void pipe(final Socket from, final Socket to) {
        final Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (final IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (final Exception e) {
            // closing anyway
        }
    }
}

package io.sluice.cli;

import java.util.concurrent.CountDownLatch;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM as a request to stop: the command closes what it runs and exits 0, instead of the JVM
 * dying with 130/143 half-way through its shutdown hooks.
 */
final class Signals {

    private final CountDownLatch stop = new CountDownLatch(1);

    private Signals() {
    }

    static Signals trapStop() {
        final Signals signals = new Signals();
        for (final String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> signals.stop.countDown());
        }
        return signals;
    }

    void awaitStop() throws InterruptedException {
        stop.await();
    }

    boolean stopRequested() {
        return stop.getCount() == 0;
    }
}

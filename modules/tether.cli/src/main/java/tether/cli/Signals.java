package tether.cli;

import java.util.List;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT, SIGTERM and SIGHUP into teardown requests instead of the JVM's immediate shutdown.
 *
 * <p>A signal that was ignored when tether started stays ignored: a background job of a non-interactive
 * shell ignores SIGINT on purpose, and Ctrl-C in that shell must not reach it.
 */
final class Signals {

    private static final List<String> TEARDOWN_SIGNALS = List.of("INT", "TERM", "HUP");

    private Signals() {}

    /** Calls {@code onSignal} with the signal's number, on a JVM thread, each time one arrives. */
    static void trap(IntConsumer onSignal) {
        for (String name : TEARDOWN_SIGNALS) {
            Signal signal = new Signal(name);
            SignalHandler previous = Signal.handle(signal, caught -> onSignal.accept(caught.getNumber()));
            if (previous == SignalHandler.SIG_IGN) {
                Signal.handle(signal, SignalHandler.SIG_IGN);
            }
        }
    }
}

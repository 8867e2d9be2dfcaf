package tether.unix.darwin;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import tether.unix.CLibrary;

/**
 * The launcher's {@code tether_keep_sigchld_for_sigwait}: gives SIGCHLD the launcher's handler again, which never
 * runs but without which xnu discards SIGCHLD before sigwait could take it. Why, and why again once the JVM
 * runs, is said at the function in the launcher ({@code jlink/src/image/unix/launcher/tether.c}).
 */
public final class SigchldHandler {

    private SigchldHandler() {}

    /**
     * Installs the handler; {@code false} where tether runs without its launcher (a JVM started by hand, which
     * takes no signal).
     *
     * @throws IllegalStateException naming the OS's reason if sigaction refused
     */
    public static boolean install() {
        Function function;
        try {
            function = NativeLibrary.getProcess().getFunction("tether_keep_sigchld_for_sigwait");
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
        int result = function.invokeInt(new Object[0]);
        if (result != 0) {
            throw new IllegalStateException("cannot set up SIGCHLD: " + CLibrary.strerror(-result));
        }
        return true;
    }
}

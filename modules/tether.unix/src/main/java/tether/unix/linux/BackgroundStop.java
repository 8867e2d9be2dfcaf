package tether.unix.linux;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * The launcher's {@code tether_stop_if_background}: stops tether's process group if, and only if, it is in
 * the terminal's background, in one step the kernel takes (a read of the terminal), and returns once tether
 * is continued, without reading again. Why, and how, is said at the function in the launcher
 * ({@code jlink/src/image/unix/launcher/tether.c}).
 */
public final class BackgroundStop {

    /** The group held the terminal: nothing was stopped. */
    public static final int FOREGROUND = 0;
    /** The group was stopped and has been continued since. */
    public static final int CONTINUED = 1;

    private final Function function;

    private BackgroundStop(Function function) {
        this.function = function;
    }

    /** The launcher's function, or {@code null} where tether runs without its launcher (a JVM started by hand). */
    public static BackgroundStop find() {
        try {
            return new BackgroundStop(NativeLibrary.getProcess().getFunction("tether_stop_if_background"));
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /**
     * Stops tether's group with {@code signal} (SIGTTIN or SIGTTOU) if it is in the background of {@code tty}:
     * {@link #FOREGROUND}, {@link #CONTINUED}, or a negative errno (EIO: the group is orphaned, and no shell
     * would continue it).
     */
    public int stop(int tty, int signal) {
        return function.invokeInt(new Object[] {tty, signal});
    }
}

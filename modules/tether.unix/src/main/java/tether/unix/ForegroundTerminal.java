package tether.unix;

import com.sun.jna.Memory;

/**
 * Hands the controlling terminal's foreground to the command's group and gives it back.
 *
 * <p>A command in a background group that reads the terminal is stopped by SIGTTIN, and tether would
 * wait on it forever; in the foreground it gets keyboard input, Ctrl-C and Ctrl-Z as it would without
 * tether. tether ignores SIGTTOU while it does this, since a background process that changes the
 * foreground is otherwise stopped by it.
 */
final class ForegroundTerminal {

    private static final int STDIN = 0;

    private final LinuxLibc libc;
    private final int ownGroup;
    private final Memory savedModes;

    private ForegroundTerminal(LinuxLibc libc, int ownGroup, Memory savedModes) {
        this.libc = libc;
        this.ownGroup = ownGroup;
        this.savedModes = savedModes;
    }

    /**
     * Takes note of the terminal when stdin is one and tether's group is its foreground group;
     * otherwise there is nothing to hand over and this returns {@code null}.
     */
    static ForegroundTerminal ifForeground(LinuxLibc libc) {
        if (libc.isatty(STDIN) != 1) {
            return null;
        }
        int ownGroup = libc.getpgrp();
        if (libc.tcgetpgrp(STDIN) != ownGroup) {
            return null;
        }
        Memory modes = new Memory(LinuxLibc.TERMIOS_SIZE);
        boolean saved = libc.tcgetattr(STDIN, modes) == 0;
        libc.signal(LinuxLibc.SIGTTOU, LinuxLibc.SIG_IGN);
        return new ForegroundTerminal(libc, ownGroup, saved ? modes : null);
    }

    /**
     * Makes {@code group} the foreground group. The command may already have been stopped by SIGTTIN
     * for reading before this, so the group is continued afterwards.
     */
    void handTo(int group) {
        libc.tcsetpgrp(STDIN, group);
        libc.killpg(group, LinuxLibc.SIGCONT);
    }

    /** Takes the foreground back and restores the modes a killed full-screen command may have left. */
    void restore() {
        libc.tcsetpgrp(STDIN, ownGroup);
        if (savedModes != null) {
            libc.tcsetattr(STDIN, LinuxLibc.TCSANOW, savedModes);
        }
    }
}

package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.time.Duration;

/**
 * Hands the controlling terminal's foreground to the command's group and gives it back.
 *
 * <p>A command in a background group that reads the terminal is stopped by SIGTTIN, and tether would
 * wait on it forever; in the foreground it gets keyboard input, Ctrl-C and Ctrl-Z as it would without
 * tether. tether ignores SIGTTOU while it does this, since a background process that changes the
 * foreground is otherwise stopped by it.
 *
 * <p>Ctrl-Z then stops the command's group, not tether, and a job-control shell waiting on tether would
 * neither notice nor get its terminal back. So tether does what a shell does for its own jobs: when the
 * command stops, tether takes the terminal back and stops its own group the way the terminal would have,
 * and when it is continued it continues the command, handing the terminal over again if the shell gave
 * it to tether ({@code fg}) and not if the shell kept it ({@code bg}).
 */
final class ForegroundTerminal {

    private static final int STDIN = 0;

    /**
     * How long tether waits to be stopped and continued after stopping its own group. The kernel discards
     * SIGTSTP to an orphaned process group (one no job-control shell looks after); then tether is never
     * stopped, and it continues the command after this rather than leave it stopped for good.
     */
    private static final Duration SUSPEND_TIMEOUT = Duration.ofSeconds(1);

    private final int ownGroup;
    private final Memory ownModes;
    private final Object continuedLock = new Object();
    private long timesContinued;

    private ForegroundTerminal(int ownGroup, Memory ownModes) {
        this.ownGroup = ownGroup;
        this.ownModes = ownModes;
    }

    /**
     * Takes note of the terminal when stdin is one and tether's group is its foreground group;
     * otherwise there is nothing to hand over and this returns {@code null}.
     */
    static ForegroundTerminal ifForeground() {
        if (LinuxLibc.isatty(STDIN) != 1) {
            return null;
        }
        int ownGroup = LinuxLibc.getpgrp();
        if (LinuxLibc.tcgetpgrp(STDIN) != ownGroup) {
            return null;
        }
        LinuxLibc.signal(LinuxLibc.SIGTTOU, LinuxLibc.SIG_IGN);
        ForegroundTerminal terminal = new ForegroundTerminal(ownGroup, modes());
        return terminal;
    }

    /**
     * Makes {@code group} the foreground group and follows its stops. The command may already have been
     * stopped by SIGTTIN for reading before this, so the group is continued afterwards.
     */
    void handTo(int group) {
        LinuxLibc.tcsetpgrp(STDIN, group);
        LinuxLibc.killpg(group, LinuxLibc.SIGCONT);
        Thread.ofPlatform().daemon().name("tether-job-control").start(() -> followStops(group));
    }

    /** Takes the foreground back and restores the modes a killed full-screen command may have left. */
    void restore() {
        LinuxLibc.tcsetpgrp(STDIN, ownGroup);
        setModes(ownModes);
    }

    /** Consumes the leader's stop reports (its exit is left for the other waiter) until it is reaped. */
    private void followStops(int group) {
        Memory info = new Memory(LinuxLibc.SIGINFO_SIZE);
        while (true) {
            if (LinuxLibc.waitid(LinuxLibc.P_PID, group, info, LinuxLibc.WSTOPPED) != 0) {
                if (Native.getLastError() == LinuxLibc.EINTR) {
                    continue;
                }
                return; // ECHILD: reaped
            }
            if (info.getInt(LinuxLibc.SIGINFO_CODE_OFFSET) != LinuxLibc.CLD_STOPPED) {
                continue;
            }
            int signal = info.getInt(LinuxLibc.SIGINFO_STATUS_OFFSET);
            boolean readBeforeHandOver = (signal == LinuxLibc.SIGTTIN || signal == LinuxLibc.SIGTTOU)
                    && LinuxLibc.tcgetpgrp(STDIN) == group;
            if (readBeforeHandOver) {
                LinuxLibc.killpg(group, LinuxLibc.SIGCONT);
            } else {
                suspendWith(group);
            }
        }
    }

    /**
     * Stops tether's own group as Ctrl-Z would have, and carries on once continued. The stop takes effect
     * asynchronously, possibly after {@code killpg} returned, so continuing is waited for as a SIGCONT.
     */
    private void suspendWith(int group) {
        Memory commandModes = modes();
        restore();
        long before = timesContinued();
        LinuxLibc.killpg(ownGroup, LinuxLibc.SIGTSTP);
        awaitContinued(before);
        if (LinuxLibc.tcgetpgrp(STDIN) == ownGroup) {
            setModes(commandModes);
            LinuxLibc.tcsetpgrp(STDIN, group);
        }
        LinuxLibc.killpg(group, LinuxLibc.SIGCONT);
    }

    /** tether was continued (SIGCONT, taken by {@link OwnSignals}). */
    void continued() {
        synchronized (continuedLock) {
            timesContinued++;
            continuedLock.notifyAll();
        }
    }

    private long timesContinued() {
        synchronized (continuedLock) {
            return timesContinued;
        }
    }

    private void awaitContinued(long before) {
        long deadline = System.nanoTime() + SUSPEND_TIMEOUT.toNanos();
        synchronized (continuedLock) {
            long left;
            while (timesContinued == before && (left = deadline - System.nanoTime()) > 0) {
                try {
                    continuedLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Memory modes() {
        Memory modes = new Memory(LinuxLibc.TERMIOS_SIZE);
        return LinuxLibc.tcgetattr(STDIN, modes) == 0 ? modes : null;
    }

    private void setModes(Memory modes) {
        if (modes != null) {
            LinuxLibc.tcsetattr(STDIN, LinuxLibc.TCSANOW, modes);
        }
    }
}

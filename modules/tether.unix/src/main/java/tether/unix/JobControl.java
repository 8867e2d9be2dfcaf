package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Job control on the controlling terminal: tether's process group is the shell's job, the command's group
 * is not, so tether hands the terminal's foreground to the command and follows the command's stops as a
 * shell expects of a job.
 *
 * <p>Why: the terminal and a job-control shell know only tether's group. A command in a background group
 * that reads the terminal (or writes to it under {@code stty tostop}) is stopped by SIGTTIN (SIGTTOU), and
 * Ctrl-Z stops the command's group, not tether; the shell would neither see its job stopped nor get its
 * terminal back, and {@code fg} would continue tether but not the stopped command: a hang either way. So:
 * <ul>
 * <li>Whenever tether's group is the terminal's foreground group (at the start, or later because the shell
 * did {@code fg}), tether gives the foreground to the command's group and continues it: keyboard input,
 * Ctrl-C and Ctrl-Z reach the command as without tether.
 * <li>When the command stops, tether takes the foreground back if the command held it (keeping the
 * command's terminal modes for later and restoring its own), and stops its own group with the same signal
 * (SIGTSTP for SIGSTOP), so the shell sees the job stopped and gets the terminal. Once tether is continued,
 * it hands the terminal back to the command if the shell gave it to tether ({@code fg}); if the shell kept
 * it ({@code bg}), it only continues the command, which is stopped again if it reads.
 * <li>At the end tether takes the foreground back and restores its modes (a killed full-screen program
 * leaves raw modes behind), but only from the command or a group tether handed the terminal to: never
 * from the shell, when tether is a background job.
 * </ul>
 *
 * <p>The terminal is the controlling terminal itself, {@code /dev/tty}, not stdin: a command may read the
 * terminal with stdin elsewhere, as a password prompt does. Without a controlling terminal (a detached
 * tether, a service) there is no job control at all.
 *
 * <p>tether changes the foreground and the modes from a background group at times, and the kernel stops a
 * background process that does so unless SIGTTOU is blocked or ignored. tether blocks SIGTTOU in the calling
 * thread for those calls only, rather than ignoring it: tether must still stop when it sends itself SIGTTOU.
 */
final class JobControl {

    private static final UnixPlatform OS = UnixPlatform.current();

    private static final byte[] CONTROLLING_TERMINAL = "/dev/tty".getBytes(StandardCharsets.US_ASCII);

    /**
     * How long tether waits to be stopped and continued after stopping its own group. The kernel discards
     * SIGTSTP, SIGTTIN and SIGTTOU sent to an orphaned process group (one no job-control shell looks after);
     * then tether is never stopped, and it continues the command after this rather than leave it stopped
     * for good.
     */
    private static final Duration SUSPEND_TIMEOUT = Duration.ofSeconds(1);

    private final int tty;
    private final int ownGroup;
    private final ProcessTable table;
    /** Guards the fields below and every change to the terminal. */
    private final Object lock = new Object();
    /** tether's modes as noted before the command started, if tether was in the foreground then. */
    private Memory modesAtStart;
    private final boolean foregroundAtStart;
    /** The command's group; 0 until {@link #follow}. */
    private int commandGroup;
    /** tether's modes, noted when it last handed the terminal over; restored when it takes it back. */
    private Memory ownModes;
    /** The command's modes when tether last took the terminal from it; given back with the terminal. */
    private Memory commandModes;
    /** tether handed the terminal over and has not lost it to the shell since. */
    private boolean handedOver;
    /** Between stopping tether's own group and carrying on: SIGCONT is then the suspension's business. */
    private boolean suspended;
    private long timesContinued;
    private boolean released;
    /**
     * tether is tearing the tree down: a stop of the command is no reason to stop tether any more. This
     * matters for {@code kill %1} of a stopped job, which sends SIGTERM and then SIGCONT to tether's group
     * only: the command, continued, reads and is stopped again before the teardown has signalled it.
     */
    private boolean ending;

    private JobControl(int tty, int ownGroup, ProcessTable table, boolean foregroundAtStart, Memory modesAtStart) {
        this.tty = tty;
        this.ownGroup = ownGroup;
        this.table = table;
        this.foregroundAtStart = foregroundAtStart;
        this.modesAtStart = modesAtStart;
    }

    /**
     * Opens the controlling terminal and notes whether tether's group is its foreground group, before the
     * command starts (once it runs it may change the foreground itself); {@code null} without a
     * controlling terminal.
     */
    static JobControl open(ProcessTable table) {
        int tty = CLibrary.open(UnixPaths.cString(CONTROLLING_TERMINAL), CLibrary.O_RDWR | OS.oNoctty() | OS.oCloexec(), 0);
        if (tty < 0) {
            return null;
        }
        int ownGroup = CLibrary.getpgrp();
        boolean foreground = CLibrary.tcgetpgrp(tty) == ownGroup;
        JobControl jobControl = new JobControl(tty, ownGroup, table, foreground, foreground ? modes(tty) : null);
        return jobControl;
    }

    /**
     * Hands the terminal to {@code group} if tether is in the foreground, and follows the group's stops.
     * The command may already have been stopped by SIGTTIN or SIGTTOU for using the terminal before this:
     * it is continued at once, before a Ctrl-Z that may follow (a SIGCONT discards a pending SIGTSTP). Any
     * other stop, such as a SIGSTOP of its own, is left for the shell to see.
     */
    void follow(int group) {
        synchronized (lock) {
            commandGroup = group;
            int foreground = CLibrary.tcgetpgrp(tty);
            if (foreground == ownGroup || (foregroundAtStart && foreground == group)) {
                giveTerminal();
                int stop = pendingStop(group);
                if (stop == CLibrary.SIGTTIN || stop == CLibrary.SIGTTOU) {
                    CLibrary.killpg(group, OS.sigcont());
                }
            }
        }
        Thread.ofPlatform().daemon().name("tether-job-control").start(() -> followStops(group));
    }

    /** What SIGCONT to tether does: carries a suspension on, or else picks up a {@code fg} or {@code bg}. */
    void continued() {
        synchronized (lock) {
            timesContinued++;
            lock.notifyAll();
            if (!suspended && commandGroup != 0 && !released) {
                resume(true);
            }
        }
    }

    /** tether is ending: it follows no further stop, and a wait for one ends now. */
    void ending() {
        synchronized (lock) {
            ending = true;
            lock.notifyAll();
        }
    }

    /**
     * Takes the foreground back and restores tether's modes, if the command's group holds it or another
     * group does that tether handed it to (the command may have passed it on) and that is empty: a group the
     * command created is gone with the tree, while the shell's group, which may hold the terminal by now
     * (tether stopped from outside and sent on with {@code bg}), still has the shell in it.
     */
    void release() {
        synchronized (lock) {
            if (released) {
                return;
            }
            released = true;
            int foreground = CLibrary.tcgetpgrp(tty);
            if (commandGroup != 0 && foreground > 0
                    && (foreground == commandGroup || (handedOver && foreground != ownGroup
                            && table.groupIsEmpty(foreground)))) {
                setForeground(ownGroup);
                setModes(ownModes);
            }
            handedOver = false;
            CLibrary.close(tty);
        }
    }

    /** Consumes the leader's stop reports (its exit is left for the other waiter) until it is reaped. */
    private void followStops(int leader) {
        Memory info = new Memory(OS.siginfoSize());
        while (true) {
            if (CLibrary.waitid(CLibrary.P_PID, leader, info, OS.wstopped()) != 0) {
                if (Native.getLastError() == CLibrary.EINTR) {
                    continue;
                }
                return; // ECHILD: reaped
            }
            if (info.getInt(CLibrary.SIGINFO_CODE_OFFSET) == CLibrary.CLD_STOPPED) {
                stopped(info.getInt(OS.siginfoStatusOffset()));
            }
        }
    }

    private void stopped(int signal) {
        synchronized (lock) {
            if (released || ending || !table.isStopped(commandGroup)) {
                return; // continued meanwhile: by a fg or bg that came first, or by the teardown
            }
            int foreground = CLibrary.tcgetpgrp(tty);
            if (signal == CLibrary.SIGTTIN || signal == CLibrary.SIGTTOU) {
                if (foreground == commandGroup) {
                    // It read before the hand-over, or before a fg that came first.
                    CLibrary.killpg(commandGroup, OS.sigcont());
                    return;
                }
                if (foreground == ownGroup) {
                    // The shell gave tether the terminal without continuing it: fg of a running job.
                    handOver();
                    return;
                }
            }
            if (foreground == commandGroup) {
                takeBack();
            }
            suspend(signal == OS.sigstop() ? OS.sigtstp() : signal);
        }
    }

    /**
     * Stops tether's own group as the terminal would have, and carries on once continued. The stop takes
     * effect asynchronously, possibly after {@code killpg} returned, so continuing is waited for as a SIGCONT.
     */
    private void suspend(int signal) {
        long before = timesContinued;
        suspended = true;
        try {
            CLibrary.killpg(ownGroup, signal);
            long deadline = System.nanoTime() + SUSPEND_TIMEOUT.toNanos();
            long left;
            while (timesContinued == before && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            suspended = false;
        }
        if (!released) {
            resume(timesContinued != before);
        }
    }

    /**
     * {@code fg} if tether's group is the foreground: the command gets the terminal back, with its modes.
     * Otherwise {@code bg}: the command is only continued. After a real stop ({@code continuedBySignal}), a
     * terminal held by neither group is the shell's, and tether has lost what it had handed over.
     */
    private void resume(boolean continuedBySignal) {
        int foreground = CLibrary.tcgetpgrp(tty);
        if (foreground == ownGroup) {
            handOver();
            return;
        }
        if (foreground != commandGroup && continuedBySignal) {
            handedOver = false;
        }
        CLibrary.killpg(commandGroup, OS.sigcont());
    }

    /** Gives the command the terminal, with its modes, and continues it. */
    private void handOver() {
        giveTerminal();
        CLibrary.killpg(commandGroup, OS.sigcont());
    }

    private void giveTerminal() {
        Memory modes = modesAtStart != null ? modesAtStart : modes(tty);
        modesAtStart = null;
        if (modes != null) {
            ownModes = modes;
        }
        setModes(commandModes);
        setForeground(commandGroup);
        handedOver = true;
    }

    private void takeBack() {
        commandModes = modes(tty);
        setForeground(ownGroup);
        setModes(ownModes);
        handedOver = false;
    }

    private void setForeground(int group) {
        withoutTtou(() -> CLibrary.tcsetpgrp(tty, group));
    }

    private void setModes(Memory modes) {
        if (modes != null) {
            withoutTtou(() -> CLibrary.tcsetattr(tty, CLibrary.TCSANOW, modes));
        }
    }

    /** Runs a terminal change with SIGTTOU blocked in this thread, so a background tether is not stopped. */
    private static void withoutTtou(Runnable change) {
        Memory ttou = new Memory(OS.sigsetSize());
        Memory previous = new Memory(OS.sigsetSize());
        CLibrary.sigemptyset(ttou);
        CLibrary.sigaddset(ttou, CLibrary.SIGTTOU);
        CLibrary.pthread_sigmask(OS.sigBlock(), ttou, previous);
        try {
            change.run();
        } finally {
            CLibrary.pthread_sigmask(OS.sigSetmask(), previous, null);
        }
    }

    /** The signal that stopped {@code leader}, if a stop is there to report, without consuming it; else 0. */
    private static int pendingStop(int leader) {
        Memory info = new Memory(OS.siginfoSize());
        info.setInt(OS.siginfoPidOffset(), 0);
        int options = OS.wstopped() | CLibrary.WNOHANG | OS.wnowait();
        if (CLibrary.waitid(CLibrary.P_PID, leader, info, options) != 0
                || info.getInt(OS.siginfoPidOffset()) == 0
                || info.getInt(CLibrary.SIGINFO_CODE_OFFSET) != CLibrary.CLD_STOPPED) {
            return 0;
        }
        return info.getInt(OS.siginfoStatusOffset());
    }

    private static Memory modes(int tty) {
        Memory modes = new Memory(OS.termiosSize());
        return CLibrary.tcgetattr(tty, modes) == 0 ? modes : null;
    }
}

package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tether.unix.linux.BackgroundStop;

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
 * it ({@code bg}), it continues the command, unless the command stopped for the terminal: that command
 * would only stop again, so tether watches for a while for a {@code fg} and then stops again itself.
 * <li>At the end tether takes the foreground back and restores its modes (a killed full-screen program
 * leaves raw modes behind), but only from the command or a group tether handed the terminal to: never
 * from the shell, when tether is a background job.
 * </ul>
 *
 * <p>Every decision is taken on the thread that takes tether's signals, in the order the kernel queued
 * them: the command's stops (SIGCHLD), tether's continues (SIGCONT) and the requests to end. A stop of
 * tether can then never overtake a request to end that came before it ({@code kill %1} of a stopped job
 * sends SIGTERM, then SIGCONT), and tether never stops itself while such a request waits. When the job is
 * in the background, whether to stop is the kernel's decision, made at the moment of the stop (see
 * {@link BackgroundStop}): a {@code fg} that gives tether the terminal while it decides is not lost. (Where
 * the launcher's stop is not there, on macOS, tether stops its group with {@code killpg} after looking at
 * the foreground.)
 *
 * <p>bash and zsh answer {@code fg} of a job they believe running by giving it the terminal, with no
 * SIGCONT. A job that stops in that moment stays stopped, and the shell reports it stopped; a command alone
 * stops microseconds after {@code bg} lets it run into its read again, tether (a dozen threads to stop)
 * takes longer. So after {@code bg} tether does not stop again at once for a command waiting for the
 * terminal: it watches for {@link #BACKGROUND_GRACE}, hands the terminal over if {@code fg} comes meanwhile,
 * and only then stops, when a quick {@code fg} is no longer likely to meet the stop.
 *
 * <p>A tether that shares its process group with other processes (a script's {@code a & b}, {@code make -j2},
 * a pipeline into a pager) is one part of the job: it does not take the terminal for its command at the
 * start, but hands it over when the command reads it while the group holds it. The first command to read
 * gets it; another one that reads meanwhile is left stopped, not the whole job, until the terminal comes
 * back to the group, and is then given it. Stopping the job for it would leave the first command's read
 * waiting on a terminal the shell has taken back, where it would eat what is typed to the shell.
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
     * How long tether waits to be stopped after stopping its own group with {@code killpg}. The kernel
     * discards SIGTSTP, SIGTTIN and SIGTTOU sent to an orphaned process group (one no job-control shell looks
     * after); then tether is never stopped, and it continues the command after this rather than leave it
     * stopped for good.
     */
    private static final Duration SUSPEND_TIMEOUT = Duration.ofSeconds(1);

    /**
     * How long tether, continued by {@code bg} while its command waits for the terminal, watches for a
     * {@code fg} before it stops again: longer than a script's or a hurried user's {@code bg; fg}, short
     * enough that the job shows stopped again soon, as a command alone would be.
     */
    private static final Duration BACKGROUND_GRACE = Duration.ofMillis(500);

    /**
     * How often tether looks whether its group got the terminal while it waits for that: after {@code bg}
     * (short, since a {@code fg} then waits on it), or while another command of its group holds it.
     */
    private static final Duration FOREGROUND_POLL = Duration.ofMillis(20);

    /**
     * How long a command waiting for the terminal that another command of tether's group holds waits after
     * tether was continued: long enough for the command that held it before the job stopped to take it back
     * first after {@code fg}.
     */
    private static final Duration TERMINAL_WAIT = Duration.ofMillis(50);

    /**
     * How long tether waits for the terminal's lock (see {@link #lockTerminal}), and how often it tries: the
     * lock is held for two calls, so a lock held longer is held by a tether that was stopped meanwhile.
     */
    private static final Duration TERMINAL_LOCK_WAIT = Duration.ofMillis(50);
    private static final Duration TERMINAL_LOCK_RETRY = Duration.ofMillis(1);

    private final int tty;
    private final int ownGroup;
    private final ProcessTable table;
    /** Other processes share tether's group: tether is one part of the job. */
    private final boolean shared;
    /** The kernel's stop of a background group, or {@code null} without the launcher or on macOS. */
    private final BackgroundStop backgroundStop;
    /** tether's signals: whether a request to end waits, and the way to the signal thread. */
    private final OwnSignals signals;
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
    /** The command stopped for the terminal (SIGTTIN, SIGTTOU) with this signal, and waits for it; else 0. */
    private int waitsForTerminal;
    /** In a shared group: the terminal is with another command of the group, and tether waits its turn. */
    private boolean behindOtherCommand;
    /** After {@code bg}: when tether stops again unless {@code fg} came ({@link System#nanoTime()}); 0 if not. */
    private long graceEnds;
    /** The grace ended: the signal thread is to stop tether again. */
    private boolean stopAgain;
    /** tether stopped its own group with {@code killpg}, and no SIGCONT has come since. */
    private boolean suspended;
    /** When {@link #timer} next looks ({@link System#nanoTime()}); 0 for never. */
    private long timerDue;
    private boolean released;
    /** tether is tearing the tree down: a stop of the command is no reason to stop tether any more. */
    private boolean ending;

    private JobControl(int tty, int ownGroup, ProcessTable table, boolean shared, OwnSignals signals,
            boolean foregroundAtStart, Memory modesAtStart) {
        this.tty = tty;
        this.ownGroup = ownGroup;
        this.table = table;
        this.shared = shared;
        this.backgroundStop = OS.kernel() == UnixPlatform.Kernel.LINUX ? BackgroundStop.find() : null;
        this.signals = signals;
        this.foregroundAtStart = foregroundAtStart;
        this.modesAtStart = modesAtStart;
    }

    /**
     * Opens the controlling terminal and notes whether tether's group is its foreground group, before the
     * command starts (once it runs it may change the foreground itself); {@code null} without a
     * controlling terminal. The thread that times tether's waits starts now too: a command that fills the
     * user's process quota could keep a thread from starting later.
     */
    static JobControl open(ProcessTable table, OwnSignals signals) {
        int tty = CLibrary.open(UnixPaths.cString(CONTROLLING_TERMINAL), CLibrary.O_RDWR | OS.oNoctty() | OS.oCloexec(), 0);
        if (tty < 0) {
            return null;
        }
        int ownGroup = CLibrary.getpgrp();
        boolean foreground = CLibrary.tcgetpgrp(tty) == ownGroup;
        JobControl jobControl = new JobControl(tty, ownGroup, table, table.hasOtherMembers(ownGroup), signals,
                foreground, foreground ? modes(tty) : null);
        Thread.ofPlatform().daemon().name("tether-job-control").start(jobControl::timer);
        return jobControl;
    }

    /** No command started: the timing thread ends, and the terminal is closed. */
    void abandon() {
        release();
    }

    /**
     * Hands the terminal to {@code group} if tether is in the foreground and alone in its group, and from now
     * on follows the group's stops. The command may already have been stopped by SIGTTIN or SIGTTOU for using
     * the terminal before this: it is not continued here but by the signal thread, which the caller wakes once
     * the command's SIGCHLDs reach this, and which finds the stop's report (see {@link #continueWithTerminal}).
     * Any other stop, such as a SIGSTOP of its own, is left for the shell to see.
     */
    void follow(int group) {
        synchronized (lock) {
            commandGroup = group;
            int foreground = CLibrary.tcgetpgrp(tty);
            if (!shared && (foreground == ownGroup || (foregroundAtStart && foreground == group))) {
                giveTerminal();
            }
        }
    }

    /** SIGCONT to tether: a {@code fg} or {@code bg} after a stop, or a continue from outside. */
    void continued() {
        synchronized (lock) {
            suspended = false;
            if (commandGroup != 0 && !released && !ending) {
                resume(true);
            }
        }
    }

    /** tether is ending: it follows no further stop. Told first thing when a request to end is taken. */
    void ending() {
        synchronized (lock) {
            ending = true;
            behindOtherCommand = false;
            graceEnds = 0;
            stopAgain = false;
        }
    }

    /**
     * A SIGCHLD, on the signal thread: the command's leader stopped with {@code stop} (its stop report; 0 if
     * there was none), or the {@link #timer} asked for tether to stop again.
     */
    void childEvent(int stop) {
        synchronized (lock) {
            if (released || ending || commandGroup == 0) {
                return;
            }
            if (stop != 0) {
                commandStopped(stop);
            } else if (stopAgain) {
                stopAgain = false;
                if (waitsForTerminal != 0 && table.isStopped(commandGroup)) {
                    suspend(waitsForTerminal, CLibrary.tcgetpgrp(tty) != ownGroup);
                }
            }
        }
    }

    /** The command stopped with {@code signal}: tether's job follows, as described above. */
    private void commandStopped(int signal) {
        if (!table.isStopped(commandGroup)) {
            return; // continued meanwhile: by a fg or bg that came first, or by the teardown
        }
        graceEnds = 0;
        stopAgain = false;
        int foreground;
        boolean forTerminal = signal == CLibrary.SIGTTIN || signal == CLibrary.SIGTTOU;
        waitsForTerminal = forTerminal ? signal : 0;
        if (forTerminal) {
            boolean locked = lockTerminal();
            try {
                foreground = CLibrary.tcgetpgrp(tty);
                if (foreground == commandGroup) {
                    // It used the terminal before the hand-over, or before a fg that came first.
                    continueWithTerminal();
                    return;
                }
                if (foreground == ownGroup) {
                    // The group holds the terminal: at the start of a shared job, or a fg of a running job.
                    handOver();
                    return;
                }
            } finally {
                unlockTerminal(locked);
            }
            if (shared && heldByOwnGroup(foreground)) {
                behindOtherCommand = true;
                due(FOREGROUND_POLL);
                return;
            }
        } else {
            foreground = CLibrary.tcgetpgrp(tty);
            if (foreground == commandGroup) {
                takeBack();
                foreground = ownGroup;
            }
        }
        suspend(signal == OS.sigstop() ? OS.sigtstp() : signal, foreground != ownGroup);
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
            lock.notifyAll();
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

    /**
     * Whether {@code group}, which holds the terminal, was given it by another member of tether's own group:
     * its leader's parent is in tether's group, as another tether's command is.
     */
    private boolean heldByOwnGroup(int group) {
        int parent = table.parentOf(group);
        return parent > 0 && CLibrary.getpgid(parent) == ownGroup;
    }

    /**
     * Stops tether's own group as the terminal would have. A job in the background is stopped by the kernel's
     * own decision, if the launcher's {@link BackgroundStop} is there: it returns once tether is continued, or
     * at once if the group holds the terminal after all (a fg came first) or can never be continued
     * (orphaned). Otherwise the stop takes effect as {@code killpg} returns, and the SIGCONT that ends it
     * comes to {@link #continued}; if none comes, the {@link #timer} continues the command.
     */
    private void suspend(int signal, boolean background) {
        if (signals.endRequested()) {
            return; // the teardown is about to start, and would find tether stopped
        }
        if (background && backgroundStop != null && (signal == CLibrary.SIGTTIN || signal == CLibrary.SIGTTOU)) {
            int outcome = backgroundStop.stop(tty, signal);
            if (outcome == BackgroundStop.CONTINUED) {
                // Its SIGCONT went to the launcher's handler, not to tether's signal thread.
                resume(true);
            } else if (outcome == BackgroundStop.FOREGROUND) {
                handOver();
            } else {
                continueCommand();
            }
            return;
        }
        suspended = true;
        CLibrary.killpg(ownGroup, signal);
        due(SUSPEND_TIMEOUT);
    }

    /**
     * {@code fg} if tether's group is the foreground: the command gets the terminal back, with its modes (in
     * a shared group, only if it had it or waits for it). Otherwise {@code bg}: the command is continued, or,
     * if it waits for the terminal, tether watches for a {@code fg} before it stops again. After a real stop
     * ({@code continuedBySignal}), a terminal held by neither group is the shell's, and tether has lost what
     * it had handed over.
     */
    private void resume(boolean continuedBySignal) {
        if (behindOtherCommand) {
            due(TERMINAL_WAIT);
            return;
        }
        int foreground;
        boolean locked = lockTerminal();
        try {
            foreground = CLibrary.tcgetpgrp(tty);
            if (foreground == ownGroup && (!shared || handedOver || waitsForTerminal != 0)) {
                handOver();
                return;
            }
        } finally {
            unlockTerminal(locked);
        }
        if (foreground != commandGroup && continuedBySignal) {
            handedOver = false;
        }
        if (waitsForTerminal != 0 && foreground != commandGroup) {
            graceEnds = System.nanoTime() + BACKGROUND_GRACE.toNanos();
            due(FOREGROUND_POLL);
            return;
        }
        continueCommand();
    }

    /**
     * Continues the command, stopped for the terminal it now holds, and leaves it the terminal: never while it
     * holds the terminal stopped. A Ctrl-Z that reached it then would wait, and the SIGCONT would discard it
     * (the kernel drops the pending stops of a process it continues), where without tether it would have
     * stopped the job. So tether's group takes the foreground first: a Ctrl-Z from then on stops tether, which
     * is the job; one that reached the command before is then pending, and the command counts as stopped by
     * it. Only then is it continued and given the terminal back. If it reads again in between, it stops again
     * for the terminal and comes back here through its SIGCHLD.
     */
    private void continueWithTerminal() {
        setForeground(ownGroup);
        if (table.stopPending(commandGroup)) {
            waitsForTerminal = 0;
            keepCommandModes();
            suspend(OS.sigtstp(), false);
            return;
        }
        continueCommand();
        setForeground(commandGroup);
    }

    /** Gives the command the terminal, with its modes, and continues it. */
    private void handOver() {
        behindOtherCommand = false;
        graceEnds = 0;
        giveTerminal();
        continueCommand();
    }

    private void continueCommand() {
        waitsForTerminal = 0;
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
        setForeground(ownGroup);
        keepCommandModes();
    }

    /** Notes the command's modes for when it gets the terminal back, and restores tether's. */
    private void keepCommandModes() {
        commandModes = modes(tty);
        setModes(ownModes);
        handedOver = false;
    }

    /** Has the {@link #timer} look in {@code delay}. */
    private void due(Duration delay) {
        timerDue = System.nanoTime() + delay.toNanos();
        lock.notifyAll();
    }

    /**
     * The {@code tether-job-control} thread: sleeps until {@link #due}, then gives a command waiting for the
     * terminal the terminal once tether's group holds it; after {@code bg}, has the signal thread stop tether
     * again once the grace is over (only that thread stops tether: see the class comment); and continues a
     * command that a {@code killpg} of tether's group should have stopped along with tether but did not (the
     * group is orphaned; or tether was continued and the SIGCONT is not taken yet, and the command is
     * continued a moment early).
     */
    private void timer() {
        synchronized (lock) {
            while (!released) {
                long left = timerDue == 0 ? Long.MAX_VALUE : timerDue - System.nanoTime();
                if (left > 0) {
                    try {
                        lock.wait(Math.max(1, Math.min(left / 1_000_000, Integer.MAX_VALUE)));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                timerDue = 0;
                if (!ending) {
                    timeUp();
                }
            }
        }
    }

    private void timeUp() {
        if (suspended) {
            suspended = false;
            resume(false);
        } else if (behindOtherCommand || graceEnds != 0) {
            if (handOverIfGroupHolds()) {
                return;
            }
            if (graceEnds != 0 && System.nanoTime() - graceEnds >= 0) {
                graceEnds = 0;
                stopAgain = true;
                signals.wakeReceiver();
            } else {
                due(FOREGROUND_POLL);
            }
        }
    }

    /** Gives the command the terminal if tether's group holds it, as one step among the tethers of a shared group. */
    private boolean handOverIfGroupHolds() {
        boolean locked = lockTerminal();
        try {
            if (CLibrary.tcgetpgrp(tty) != ownGroup) {
                return false;
            }
            handOver();
            return true;
        } finally {
            unlockTerminal(locked);
        }
    }

    /**
     * Takes the terminal's lock: an exclusive {@code flock} of the descriptor, held from the look at the
     * foreground to the hand-over. Two tethers of one group that looked at once could otherwise both find
     * the group there and both hand over, and the second would take the terminal from the first's command
     * in the middle of its read (a shell's {@code read} takes a line byte by byte). The lock is on the
     * {@code /dev/tty} node, so every tether of the machine takes the same one, for microseconds. It is
     * waited for {@link #TERMINAL_LOCK_WAIT} at most, since a holder may have been stopped holding it; then
     * tether goes on without it. Returns whether it holds the lock.
     */
    private boolean lockTerminal() {
        long deadline = System.nanoTime() + TERMINAL_LOCK_WAIT.toNanos();
        while (CLibrary.flock(tty, CLibrary.LOCK_EX | CLibrary.LOCK_NB) != 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TERMINAL_LOCK_RETRY.toNanos());
        }
        return true;
    }

    private void unlockTerminal(boolean locked) {
        if (locked) {
            CLibrary.flock(tty, CLibrary.LOCK_UN);
        }
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

    private static Memory modes(int tty) {
        Memory modes = new Memory(OS.termiosSize());
        return CLibrary.tcgetattr(tty, modes) == 0 ? modes : null;
    }
}

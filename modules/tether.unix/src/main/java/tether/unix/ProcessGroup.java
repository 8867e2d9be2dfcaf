package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.time.Duration;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.TreeSignal;
import tether.unix.linux.Cgroup;

/**
 * A command that leads its own process group (the group id is the leader's pid), and the descendants that
 * left the group on purpose, each signalled by pid: on Linux tether is their subreaper, so they stay
 * tether's descendants even when orphaned; macOS has none, so there they are found only while their parents
 * live.
 *
 * <p>tether's children are reaped by the {@link Reaper} as soon as SIGCHLD says one exited (on Linux, a
 * subreaper that does not reap collects zombies), except the leader: its zombie keeps the group id reserved
 * until {@link #release()}.
 *
 * <p>Where the tree has a {@link Cgroup} of its own, its members are those of the cgroup too, SIGKILL is the
 * cgroup's {@code cgroup.kill} as well, a wait also ends when the cgroup empties, and the cgroup is removed
 * on release. The scans stay: a process with the rights to move itself out of the cgroup is still found
 * while its ancestry to tether holds.
 */
final class ProcessGroup implements ProcessTree, OwnSignals.Receiver {

    private static final UnixPlatform OS = UnixPlatform.current();

    /**
     * How many scans {@link #members} makes in a row when an exit overtook a scan that found nothing live.
     * Exits at the end of a teardown come in bursts (a shell and the children it waited for), so a second
     * or third look usually proves the tree empty at once; a tree that keeps exiting and forking (a process
     * that hops from pid to pid) is left to the teardown's next, later scan.
     */
    private static final int QUICK_RESCANS = 3;

    private final int pgid;
    private final ProcessTable table;
    private final JobControl terminal;
    private final Reaper reaper;
    private final OwnSignals signals;
    private final Cgroup cgroup;
    private final String containment;
    /** Used on the signal thread only. */
    private final Memory leaderStop = new Memory(OS.siginfoSize());
    /** Set up on the first {@link #listeningPorts}, which only {@code --ready port} asks. */
    private SocketTable sockets;

    /**
     * @param cgroup      the tree's cgroup, or {@code null}
     * @param containment what {@link #containment()} says
     */
    ProcessGroup(int pgid, ProcessTable table, JobControl terminal, Reaper reaper, OwnSignals signals, Cgroup cgroup,
            String containment) {
        this.pgid = pgid;
        this.table = table;
        this.terminal = terminal;
        this.reaper = reaper;
        this.signals = signals;
        this.cgroup = cgroup;
        this.containment = containment;
    }

    @Override
    public long pid() {
        return pgid;
    }

    /**
     * {@code waitid(WNOWAIT)} leaves the leader a zombie, which keeps its pid and so the pgid reserved. Without
     * WSTOPPED and WCONTINUED only an exit is reported, on Linux as on macOS (bsd/kern/kern_exit.c,
     * waitid_nocancel, skips a stopped child unless WSTOPPED is asked for).
     */
    @Override
    public ExitStatus awaitExit() throws InterruptedException {
        Memory info = new Memory(OS.siginfoSize());
        while (true) {
            if (CLibrary.waitid(CLibrary.P_PID, pgid, info, CLibrary.WEXITED | OS.wnowait()) != 0) {
                int errno = Native.getLastError();
                if (errno != CLibrary.EINTR) {
                    throw new IllegalStateException("waitid(" + pgid + "): " + CLibrary.strerror(errno));
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                continue;
            }
            int code = info.getInt(CLibrary.SIGINFO_CODE_OFFSET);
            int status = info.getInt(OS.siginfoStatusOffset());
            if (code == CLibrary.CLD_EXITED) {
                // macOS reports all 32 bits given to exit(); a parent sees the low 8 as the exit status.
                return ExitStatus.exited(status & 0xff);
            }
            if (code == CLibrary.CLD_KILLED || code == CLibrary.CLD_DUMPED) {
                return ExitStatus.killedBy(status);
            }
            throw new IllegalStateException("waitid(" + pgid + ", WEXITED) reported si_code " + code);
        }
    }

    /**
     * A scan proves nothing if one of tether's children exited while it ran: its children were handed up to
     * tether, possibly behind the scan. Such an exit shows as a zombie child of tether, since nothing is
     * reaped during a scan; the leader's zombie counts only if the leader had not exited before the scan
     * began. The zombies are reaped after the scan.
     */
    @Override
    public Members members() {
        for (int scans = 1; ; scans++) {
            long events = reaper.events();
            boolean leaderExited = reaper.leaderExited();
            ProcessTable.Scan scan = reaper.scan(pgid);
            boolean exitDuringScan = reaper.events() != events || exitedDuring(scan.exitedChildren(), leaderExited);
            reaper.reap(scan.exitedChildren());
            GroupMembers members = cgroup == null ? new GroupMembers(this, pgid, scan, exitDuringScan, events)
                    : inCgroup(scan, exitDuringScan, events);
            if (members.provesEmpty() || members.count() > 0 || scan.unread() != null || scans == QUICK_RESCANS) {
                return members;
            }
        }
    }

    /**
     * A scan, and the cgroup read after it: a process the scan missed because it just left tether's ancestry
     * is found there. The cgroup's {@code populated 0}, read through the descriptor of {@code cgroup.events}
     * held since before COMMAND started, proves the cgroup empty: no member leaves it by forking, exiting or
     * losing its parent, so what the scan may miss in the cgroup (a hopper's new pid, a subtree handed up
     * behind it) is counted there. The scan's own proof is still asked for, since a process that moved itself
     * out of the cgroup is found only by its ancestry.
     */
    private GroupMembers inCgroup(ProcessTable.Scan scan, boolean exitDuringScan, long events) {
        boolean populated = cgroup.isPopulated();
        return new GroupMembers(this, pgid, scan, exitDuringScan,
                GroupMembers.without(cgroup.members(), scan.inGroup(), scan.outside()), populated ? cgroup : null,
                events);
    }

    private boolean exitedDuring(int[] exitedChildren, boolean leaderExitedBefore) {
        for (int child : exitedChildren) {
            if (child != pgid || !leaderExitedBefore) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String containment() {
        return containment;
    }

    /**
     * The sockets of the live members now: the group's, the descendants that left it and, with a cgroup, the
     * cgroup's. Asked by one thread, {@code --ready}'s; its scan is made as the teardown's are, under the
     * reaper's lock (the table reads through buffers of its own), so the signal thread's reaping waits for as
     * long as the scan reads.
     */
    @Override
    public int[] listeningPorts() {
        if (sockets == null) {
            sockets = SocketTable.of(OS);
        }
        ProcessTable.Scan scan = reaper.scan(pgid);
        int[] pids = java.util.Arrays.copyOf(scan.inGroup(), scan.inGroup().length + scan.outside().length);
        System.arraycopy(scan.outside(), 0, pids, scan.inGroup().length, scan.outside().length);
        return sockets.listeningPorts(cgroup == null ? pids : cgroup.withMembers(pids));
    }

    /** Reaps what exited, then hands job control the command leader's stop, if it stopped. */
    @Override
    public void childExited() {
        reaper.childExited();
        if (terminal != null) {
            terminal.childEvent(takeLeaderStop());
        }
        if (cgroup != null) {
            cgroup.wake();
        }
    }

    /** The signal that stopped the leader, if its stop is there to report (it is consumed); else 0. */
    private int takeLeaderStop() {
        leaderStop.setInt(OS.siginfoPidOffset(), 0);
        if (CLibrary.waitid(CLibrary.P_PID, pgid, leaderStop, OS.wstopped() | CLibrary.WNOHANG) != 0
                || leaderStop.getInt(OS.siginfoPidOffset()) != pgid
                || leaderStop.getInt(CLibrary.SIGINFO_CODE_OFFSET) != CLibrary.CLD_STOPPED) {
            return 0;
        }
        return leaderStop.getInt(OS.siginfoStatusOffset());
    }

    @Override
    public void continued() {
        if (terminal != null) {
            terminal.continued();
        }
    }

    @Override
    public void forward(int signal) {
        CLibrary.killpg(pgid, signal);
    }

    @Override
    public void ending() {
        if (terminal != null) {
            terminal.ending();
        }
    }

    /**
     * Waits until a child of tether has exited since {@code seen} was counted, the cgroup emptied, or
     * {@code timeout} passed.
     */
    void awaitChange(long seen, Duration timeout) throws InterruptedException {
        if (cgroup == null) {
            reaper.awaitEventAfter(seen, timeout);
        } else if (reaper.events() == seen) {
            // childExited wakes the cgroup's wait, so a child's exit after this check ends it too.
            cgroup.awaitChange(timeout);
        }
    }

    /**
     * The cgroup goes first: once the sentinel is told {@code done} it removes nothing, and a tether killed
     * before it is told leaves the removal to it.
     */
    @Override
    public void release() {
        if (cgroup != null) {
            cgroup.remove();
        }
        reaper.sentinelDone();
        if (terminal != null) {
            terminal.release();
        }
        reaper.reapAll();
        CLibrary.waitid(CLibrary.P_PID, pgid, new Memory(OS.siginfoSize()), CLibrary.WEXITED | CLibrary.WNOHANG);
        signals.stop();
        table.close();
    }

    /** The number of {@code signal} on this system. */
    static int number(TreeSignal signal) {
        return switch (signal) {
            case HUP -> CLibrary.SIGHUP;
            case INT -> CLibrary.SIGINT;
            case QUIT -> CLibrary.SIGQUIT;
            case USR1 -> OS.sigusr1();
            case USR2 -> OS.sigusr2();
            case TERM -> CLibrary.SIGTERM;
            case CONT -> OS.sigcont();
            case KILL -> CLibrary.SIGKILL;
        };
    }
}

package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.time.Duration;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.TreeSignal;

/**
 * A command that leads its own process group (the group id is the leader's pid), and the descendants that
 * left the group on purpose, each signalled by pid: on Linux tether is their subreaper, so they stay
 * tether's descendants even when orphaned; macOS has none, so there they are found only while their parents
 * live.
 *
 * <p>tether's children are reaped by the {@link Reaper} as soon as SIGCHLD says one exited (on Linux, a
 * subreaper that does not reap collects zombies), except the leader: its zombie keeps the group id reserved
 * until {@link #release()}.
 */
final class ProcessGroup implements ProcessTree, OwnSignals.Receiver {

    private static final UnixPlatform OS = UnixPlatform.current();

    /** How long a stopped leader is left before it is looked at again, if no child of tether changes meanwhile. */
    private static final Duration STOPPED_LEADER_RECHECK = Duration.ofMillis(100);
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
    /** Used on the signal thread only. */
    private final Memory leaderStop = new Memory(OS.siginfoSize());

    ProcessGroup(int pgid, ProcessTable table, JobControl terminal, Reaper reaper, OwnSignals signals) {
        this.pgid = pgid;
        this.table = table;
        this.terminal = terminal;
        this.reaper = reaper;
        this.signals = signals;
    }

    @Override
    public long pid() {
        return pgid;
    }

    /**
     * {@code waitid(WNOWAIT)} leaves the leader a zombie, which keeps its pid and so the pgid reserved.
     * macOS's waitid also reports a stopped child, WEXITED or not, and WNOWAIT leaves that report in place:
     * only an exit ends the wait, and a stop is waited out until a child of tether changes again.
     */
    @Override
    public ExitStatus awaitExit() throws InterruptedException {
        Memory info = new Memory(OS.siginfoSize());
        while (true) {
            long events = reaper.events();
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
            reaper.awaitEventAfter(events, STOPPED_LEADER_RECHECK);
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
            GroupMembers members = new GroupMembers(this, pgid, scan, exitDuringScan, events);
            if (members.provesEmpty() || members.count() > 0 || scan.unread() != null || scans == QUICK_RESCANS) {
                return members;
            }
        }
    }

    private boolean exitedDuring(int[] exitedChildren, boolean leaderExitedBefore) {
        for (int child : exitedChildren) {
            if (child != pgid || !leaderExitedBefore) {
                return true;
            }
        }
        return false;
    }

    /** Reaps what exited, then hands job control the command leader's stop, if it stopped. */
    @Override
    public void childExited() {
        reaper.childExited();
        if (terminal != null) {
            terminal.childEvent(takeLeaderStop());
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

    /** Waits until a child of tether has exited since {@code seen} was counted, or {@code timeout} passed. */
    void awaitChange(long seen, Duration timeout) throws InterruptedException {
        reaper.awaitEventAfter(seen, timeout);
    }

    @Override
    public void release() {
        reaper.sentinelDone();
        if (terminal != null) {
            terminal.release();
        }
        reaper.reapAll();
        CLibrary.waitid(CLibrary.P_PID, pgid, new Memory(OS.siginfoSize()), CLibrary.WEXITED | CLibrary.WNOHANG);
        signals.stop();
        table.close();
    }

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

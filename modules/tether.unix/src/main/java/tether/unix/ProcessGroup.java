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
 * <p>tether reaps its children as soon as SIGCHLD says one exited (on Linux, a subreaper that does not reap
 * collects zombies), except the leader: its zombie keeps the group id reserved until {@link #release()}.
 *
 * <p>Where the tree has a {@link Cgroup} of its own, its members are those of the cgroup too, SIGKILL is the
 * cgroup's {@code cgroup.kill} as well, a wait also ends when the cgroup empties, and the cgroup is removed
 * on release. The scans stay: a process with the rights to move itself out of the cgroup is still found
 * while its ancestry to tether holds.
 */
final class ProcessGroup implements ProcessTree, OwnSignals.Receiver {

    private static final UnixPlatform OS = UnixPlatform.current();

    private static final int SELF = CLibrary.getpid();
    private final int pgid;
    private final ProcessTable table;
    private final JobControl terminal;
    private final Sentinel sentinel;
    private final OwnSignals signals;
    private final Cgroup cgroup;
    private final String containment;
    private final Object childEventsLock = new Object();
    private long childEvents;
    private final Memory reapInfo = new Memory(OS.siginfoSize());
    /** Set up on the first {@link #listeningPorts}, which only {@code --ready port} asks. */
    private SocketTable sockets;

    /**
     * @param cgroup      the tree's cgroup, or {@code null}
     * @param containment what {@link #containment()} says
     */
    ProcessGroup(int pgid, ProcessTable table, JobControl terminal, Sentinel sentinel, OwnSignals signals,
            Cgroup cgroup, String containment) {
        this.pgid = pgid;
        this.table = table;
        this.terminal = terminal;
        this.sentinel = sentinel;
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

    @Override
    public Members members() {
        long events = childEvents();
        ProcessTable.Scan scan = table.scan(SELF, sentinel.pid(), pgid);
        if (cgroup == null) {
            return new GroupMembers(this, pgid, scan.inGroup(), scan.outside(), true, events);
        }
        // Read after the scan: a process the scan missed because it just left tether's ancestry is found here.
        boolean populated = cgroup.isPopulated();
        return new GroupMembers(this, pgid, scan.inGroup(), scan.outside(),
                GroupMembers.without(cgroup.members(), scan.inGroup(), scan.outside()), populated ? cgroup : null,
                true, events);
    }

    @Override
    public String containment() {
        return containment;
    }

    /**
     * The sockets of the live members now: the group's, the descendants that left it and, with a cgroup, the
     * cgroup's. Asked by one thread, {@code --ready}'s, so it takes no lock the signal thread's reaping would
     * wait on.
     */
    @Override
    public int[] listeningPorts() {
        if (sockets == null) {
            sockets = SocketTable.of(OS);
        }
        ProcessTable.Scan scan = table.scan(SELF, sentinel.pid(), pgid);
        int[] pids = java.util.Arrays.copyOf(scan.inGroup(), scan.inGroup().length + scan.outside().length);
        System.arraycopy(scan.outside(), 0, pids, scan.inGroup().length, scan.outside().length);
        return sockets.listeningPorts(cgroup == null ? pids : cgroup.withMembers(pids));
    }

    @Override
    public void childExited() {
        reapOrphans();
        synchronized (childEventsLock) {
            childEvents++;
            childEventsLock.notifyAll();
        }
        if (cgroup != null) {
            cgroup.wake();
        }
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

    private long childEvents() {
        synchronized (childEventsLock) {
            return childEvents;
        }
    }

    /**
     * Waits until a child of tether has exited since {@code seen} was counted, the cgroup emptied, or
     * {@code timeout} passed.
     */
    void awaitChildEventAfter(long seen, Duration timeout) throws InterruptedException {
        if (cgroup != null) {
            // childExited wakes the cgroup's wait, so a child's exit after this check ends it too.
            if (childEvents() == seen) {
                cgroup.awaitChange(timeout);
            }
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (childEventsLock) {
            long left;
            while (childEvents == seen && (left = deadline - System.nanoTime()) > 0) {
                childEventsLock.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }

    /** Reaps every exited child of tether but the leader, whose zombie must stay until the sweep is done. */
    private synchronized void reapOrphans() {
        for (int child : table.childrenOf(SELF)) {
            if (child != pgid) {
                CLibrary.waitid(CLibrary.P_PID, child, reapInfo, CLibrary.WEXITED | CLibrary.WNOHANG);
            }
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
        sentinel.done();
        if (terminal != null) {
            terminal.release();
        }
        reapOrphans();
        CLibrary.waitid(CLibrary.P_PID, pgid, new Memory(OS.siginfoSize()),
                CLibrary.WEXITED | CLibrary.WNOHANG);
        signals.stop();
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

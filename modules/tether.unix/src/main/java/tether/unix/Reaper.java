package tether.unix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.time.Duration;
import tether.api.SpawnException;
import tether.api.Supervision;

/**
 * tether's children: reaps them as SIGCHLD reports their exits, all but the group's leader, whose zombie
 * keeps the group id reserved until the sweep is done; keeps the sentinel going; and makes every scan of the
 * tree while it reaps nothing.
 *
 * <p>Why scans and reaping exclude each other: a process that exits hands its children up to tether, where
 * a scan that already read tether's children misses them. A child of tether that exits during a scan then
 * stays a zombie the scan can see, which tells that the scan proves nothing (see {@link ProcessGroup#members}).
 *
 * <p>On Linux, {@code waitid(P_ALL, WEXITED | WNOWAIT)} names an exited child without reaping it, and it is
 * then reaped by pid: a SIGCHLD costs two calls per child that exited, however many threads tether has and
 * however fast the tree forks orphans. When that names the leader, which is never reaped here, another
 * exited child may be behind it; the leader has exited then, so the teardown runs, and its scans see every
 * exited child and have it {@link #reap reaped}. On macOS no subreaper adopts orphans, so tether's children
 * are only the leader and the sentinel: each is asked by pid, from the list of tether's children.
 *
 * <p>The sentinel is tether's child too. When it is killed ({@code pkill -f}, {@code killall sh}), tether
 * says so and starts another; its pid, reaped, is no longer left out of scans (it may be given to a member
 * of the tree).
 */
final class Reaper {

    private static final UnixPlatform OS = UnixPlatform.current();

    private final int leader;
    private final ProcessTable table;
    private final Supervision supervision;
    private final Memory info = new Memory(OS.siginfoSize());
    /** Guarded by {@code this}, as everything that reaps. */
    private Sentinel sentinel;
    private final Object eventsLock = new Object();
    private long events;

    Reaper(int leader, ProcessTable table, Sentinel sentinel, Supervision supervision) {
        this.leader = leader;
        this.table = table;
        this.sentinel = sentinel;
        this.supervision = supervision;
    }

    /** SIGCHLD: reaps every exited child but the leader, then counts the event and wakes its waiters. */
    void childExited() {
        synchronized (this) {
            switch (OS.kernel()) {
                case LINUX -> reapAllExited();
                case DARWIN -> reapAll();
            }
        }
        synchronized (eventsLock) {
            events++;
            eventsLock.notifyAll();
        }
    }

    /** Scans the tree while nothing is reaped, leaving the sentinel out. */
    synchronized ProcessTable.Scan scan(int pgid) {
        return table.scan(sentinel.isRunning() ? sentinel.pid() : 0, pgid);
    }

    /** Reaps those of {@code children} that exited, except the leader. */
    synchronized void reap(int[] children) {
        for (int child : children) {
            if (child != leader) {
                reapIfExited(child);
            }
        }
    }

    /** How many SIGCHLDs were handled so far. */
    long events() {
        synchronized (eventsLock) {
            return events;
        }
    }

    /** Waits until a child of tether has exited since {@code seen} was counted, or {@code timeout} passed. */
    void awaitEventAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (eventsLock) {
            long left;
            while (events == seen && (left = deadline - System.nanoTime()) > 0) {
                eventsLock.wait(left / 1_000_000, (int) (left % 1_000_000));
            }
        }
    }

    /** The tree is empty and the leader not yet reaped: the sentinel may go. */
    synchronized void sentinelDone() {
        sentinel.done();
    }

    /** Linux: whoever {@code waitid(P_ALL)} names, until it names no one or the leader. */
    private void reapAllExited() {
        while (true) {
            info.setInt(OS.siginfoPidOffset(), 0);
            if (CLibrary.waitid(CLibrary.P_ALL, 0, info, CLibrary.WEXITED | CLibrary.WNOHANG | OS.wnowait()) != 0) {
                return; // ECHILD: no child at all
            }
            int child = info.getInt(OS.siginfoPidOffset());
            if (child == 0 || child == leader) {
                return;
            }
            reapIfExited(child);
        }
    }

    private void reapIfExited(int child) {
        info.setInt(OS.siginfoPidOffset(), 0);
        if (CLibrary.waitid(CLibrary.P_PID, child, info, CLibrary.WEXITED | CLibrary.WNOHANG) != 0
                || info.getInt(OS.siginfoPidOffset()) != child) {
            return;
        }
        if (child == sentinel.pid() && !sentinel.isDone()) {
            replaceSentinel(info.getInt(CLibrary.SIGINFO_CODE_OFFSET), info.getInt(OS.siginfoStatusOffset()));
        }
    }

    /** The sentinel is gone: without a word, the guarantee for a killed tether would be gone with it. */
    private void replaceSentinel(int code, int status) {
        String how = code == CLibrary.CLD_EXITED ? "exited with status " + (status & 0xff)
                : "was killed by signal " + status;
        int old = sentinel.pid();
        try {
            sentinel = sentinel.replacement();
            supervision.warn("the sentinel (pid " + old + ") " + how + "; started another (pid " + sentinel.pid() + ")");
        } catch (SpawnException e) {
            sentinel.lost();
            supervision.warn("cannot replace the sentinel (pid " + old + "), which " + how + ": " + e.getMessage()
                    + "; if tether is killed now, nothing tears the tree down");
        }
    }

    /** Every exited child but the leader, found from the list of tether's children. */
    synchronized void reapAll() {
        reap(table.ownChildren());
    }

    /** Whether the leader has exited (a zombie now), asked without reaping it. */
    synchronized boolean leaderExited() {
        info.setInt(OS.siginfoPidOffset(), 0);
        if (CLibrary.waitid(CLibrary.P_PID, leader, info, CLibrary.WEXITED | CLibrary.WNOHANG | OS.wnowait()) != 0) {
            return Native.getLastError() == CLibrary.ECHILD;
        }
        int code = info.getInt(CLibrary.SIGINFO_CODE_OFFSET);
        return info.getInt(OS.siginfoPidOffset()) == leader
                && (code == CLibrary.CLD_EXITED || code == CLibrary.CLD_KILLED || code == CLibrary.CLD_DUMPED);
    }
}

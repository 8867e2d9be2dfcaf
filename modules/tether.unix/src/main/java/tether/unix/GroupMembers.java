package tether.unix;

import com.sun.jna.Native;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.Members;
import tether.api.TreeSignal;

/**
 * One scan of a {@link ProcessGroup}: the live members in the group and the live descendants outside it.
 *
 * <p>A whole-group snapshot is signalled with one {@code killpg}, which also reaches members forked since
 * the scan, and the descendants outside the group by pid, and with one {@code killpg} per process group
 * they started in sessions of their own: a descendant that keeps forking and letting the parent exit
 * outruns any signal by pid, never one to its group. {@code killpg} succeeds when it reached any
 * member, so each member is first asked with {@code kill(pid, 0)} whether tether may signal it: one that
 * changed its user id ({@code sudo}) is named instead of silently skipped, and it never stops the others
 * from being signalled. Newcomers found by a later scan are signalled by pid only, so that the members
 * already signalled do not get the first signal twice (a second SIGINT means "force quit" to many servers).
 */
final class GroupMembers implements Members {

    private final ProcessGroup tree;
    private final int pgid;
    private final int[] inGroup;
    private final int[] outside;
    private final int[] outsideGroups;
    private final boolean wholeGroup;
    private final boolean provesEmpty;
    private final String unread;
    private final long childEvents;

    /**
     * A whole-group snapshot of {@code scan}.
     *
     * @param exitDuringScan whether a member exited while the scan ran, which then proves nothing
     */
    GroupMembers(ProcessGroup tree, int pgid, ProcessTable.Scan scan, boolean exitDuringScan, long childEvents) {
        this(tree, pgid, scan.inGroup(), scan.outside(), scan.outsideGroups(), true,
                scan.inGroup().length + scan.outside().length == 0 && scan.childrenRead() && !exitDuringScan,
                scan.unread(), childEvents);
    }

    private GroupMembers(ProcessGroup tree, int pgid, int[] inGroup, int[] outside, int[] outsideGroups,
            boolean wholeGroup, boolean provesEmpty, String unread, long childEvents) {
        this.tree = tree;
        this.pgid = pgid;
        this.inGroup = inGroup;
        this.outside = outside;
        this.outsideGroups = outsideGroups;
        this.wholeGroup = wholeGroup;
        this.provesEmpty = provesEmpty;
        this.unread = unread;
        this.childEvents = childEvents;
    }

    @Override
    public int count() {
        return inGroup.length + outside.length;
    }

    @Override
    public boolean provesEmpty() {
        return provesEmpty;
    }

    @Override
    public String unread() {
        return unread;
    }

    @Override
    public List<Unreachable> signal(TreeSignal signal) {
        // A teardown signals only through snapshots: whatever ended the supervision, tether is ending.
        tree.ending();
        int number = ProcessGroup.number(signal);
        List<Unreachable> unreachable = new ArrayList<>();
        if (wholeGroup) {
            for (int pid : inGroup) {
                send(pid, 0, unreachable);
            }
            // ESRCH: the group emptied since the scan; EPERM: no member may be signalled, each named above.
            CLibrary.killpg(pgid, number);
        } else {
            for (int pid : inGroup) {
                send(pid, number, unreachable);
            }
        }
        for (int pid : outside) {
            send(pid, number, unreachable);
        }
        if (wholeGroup) {
            for (int group : outsideGroups) {
                // Each of these members was named by pid above when the scan saw it live.
                CLibrary.killpg(group, number);
            }
        }
        return unreachable;
    }

    /** Sends {@code number} (0: only asks whether it may) to {@code pid}; a process that is gone is not an error. */
    private static void send(int pid, int number, List<Unreachable> unreachable) {
        if (CLibrary.kill(pid, number) != 0) {
            int errno = Native.getLastError();
            if (errno != CLibrary.ESRCH) {
                unreachable.add(new Unreachable(pid, CLibrary.strerror(errno)));
            }
        }
    }

    @Override
    public Members newSince(Members earlier) {
        GroupMembers before = (GroupMembers) earlier;
        return new GroupMembers(tree, pgid, without(inGroup, before.inGroup), without(outside, before.outside),
                new int[0], false, false, unread, childEvents);
    }

    private static int[] without(int[] now, int[] before) {
        int[] kept = new int[now.length];
        int count = 0;
        for (int pid : now) {
            if (!contains(before, pid)) {
                kept[count++] = pid;
            }
        }
        return Arrays.copyOf(kept, count);
    }

    private static boolean contains(int[] pids, int pid) {
        for (int p : pids) {
            if (p == pid) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void awaitChange(Duration timeout) throws InterruptedException {
        tree.awaitChange(childEvents, timeout);
    }
}

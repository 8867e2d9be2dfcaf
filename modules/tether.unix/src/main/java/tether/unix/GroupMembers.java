package tether.unix;

import com.sun.jna.Native;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.api.Members;
import tether.api.TreeSignal;
import tether.unix.linux.Cgroup;

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
 *
 * <p>With a cgroup, the members of the cgroup that the scan did not find (their ancestry to tether was cut)
 * are signalled by pid too, and a whole snapshot's SIGKILL goes to the whole cgroup at once through
 * {@code cgroup.kill}, which reaches a process in the middle of a fork as well.
 */
final class GroupMembers implements Members {

    private static final int[] NONE = new int[0];

    private final ProcessGroup tree;
    private final int pgid;
    private final int[] inGroup;
    private final int[] outside;
    private final int[] outsideGroups;
    private final int[] cgroupOnly;
    private final Cgroup populated;
    private final boolean wholeGroup;
    private final boolean provesEmpty;
    private final String unread;
    private final long childEvents;

    /**
     * A whole-group snapshot of {@code scan}, for a tree without a cgroup.
     *
     * @param exitDuringScan whether a member exited while the scan ran, which then proves nothing
     */
    GroupMembers(ProcessGroup tree, int pgid, ProcessTable.Scan scan, boolean exitDuringScan, long childEvents) {
        this(tree, pgid, scan, exitDuringScan, NONE, null, childEvents);
    }

    /**
     * A whole-group snapshot of {@code scan} and the tree's cgroup, read after it. Empty is proved by both: the
     * scan's proof for what hangs from tether, and {@code populated 0} for the cgroup.
     *
     * @param cgroupOnly the cgroup's members the scan did not find
     * @param populated  the tree's cgroup while it says it has a live member, else {@code null}
     */
    GroupMembers(ProcessGroup tree, int pgid, ProcessTable.Scan scan, boolean exitDuringScan, int[] cgroupOnly,
            Cgroup populated, long childEvents) {
        this(tree, pgid, scan.inGroup(), scan.outside(), scan.outsideGroups(), cgroupOnly, populated, true,
                scan.inGroup().length + scan.outside().length + cgroupOnly.length == 0 && populated == null
                        && scan.childrenRead() && !exitDuringScan,
                scan.unread(), childEvents);
    }

    private GroupMembers(ProcessGroup tree, int pgid, int[] inGroup, int[] outside, int[] outsideGroups,
            int[] cgroupOnly, Cgroup populated, boolean wholeGroup, boolean provesEmpty, String unread,
            long childEvents) {
        this.tree = tree;
        this.pgid = pgid;
        this.inGroup = inGroup;
        this.outside = outside;
        this.outsideGroups = outsideGroups;
        this.cgroupOnly = cgroupOnly;
        this.populated = populated;
        this.wholeGroup = wholeGroup;
        this.provesEmpty = provesEmpty;
        this.unread = unread;
        this.childEvents = childEvents;
    }

    /**
     * A cgroup that says it is populated counts as one member at least: a process that is exiting has left
     * {@code cgroup.procs} a moment before {@code populated} drops to 0.
     */
    @Override
    public int count() {
        int listed = inGroup.length + outside.length + cgroupOnly.length;
        return populated != null ? Math.max(1, listed) : listed;
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
        if (signal == TreeSignal.KILL && wholeGroup && populated != null) {
            // No permission of tether's is asked: the cgroup's owner may kill all of it.
            populated.killAll();
        }
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
        for (int pid : cgroupOnly) {
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
                NONE, without(cgroupOnly, before.cgroupOnly, before.inGroup, before.outside), null, false, false,
                unread, childEvents);
    }

    /** The pids of {@code now} that none of {@code before} holds. */
    static int[] without(int[] now, int[]... before) {
        int[] kept = new int[now.length];
        int count = 0;
        for (int pid : now) {
            boolean seen = false;
            for (int[] pids : before) {
                seen |= contains(pids, pid);
            }
            if (!seen) {
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

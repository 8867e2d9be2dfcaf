package tether.unix;

import tether.api.SpawnException;
import tether.unix.darwin.DarwinProcessTable;
import tether.unix.linux.LinuxProcessTable;

/**
 * How one system lists the processes of tether's tree: the live members of its process group, the live
 * descendants that left the group, and tether's own children that exited.
 *
 * <p>{@code kill(-pgid, 0)} cannot tell on Linux whether a group is empty: it keeps succeeding while the
 * group's only member is the unreaped zombie leader that tether holds on purpose. So a process counts as live
 * unless it is a zombie; a stopped process is live.
 *
 * <p>A table is made before the command starts, and holds from then on whatever it needs to find tether's
 * own children (on Linux, descriptors), so that a limit the tree reaches later (no descriptor left) cannot
 * blind it to them.
 */
public interface ProcessTable {

    /**
     * One scan of tether's descendants: the live processes of group {@code pgid}, the live descendants
     * outside it, and tether's children that exited and are not reaped; {@code excluded} (the sentinel, 0 for
     * none) and its descendants are left out. Made while tether reaps nothing, a scan sees every child that
     * exits while it runs as a zombie.
     */
    Scan scan(int excluded, int pgid);

    /** tether's own children, live or not, for reaping. */
    int[] ownChildren();

    /** Whether {@code pid} is stopped now, as opposed to continued since. */
    boolean isStopped(int pid);

    /**
     * Whether a stop signal (SIGTSTP, SIGSTOP) waits for {@code pid}, a process that is stopped: one sent to
     * it while it was stopped, which the SIGCONT that continues it would discard; {@code false} where the
     * system does not tell.
     */
    boolean stopPending(int pid);

    /** {@code pid}'s parent, or -1 if it is gone. */
    int parentOf(int pid);

    /**
     * Whether {@code pgid}, a group tether neither leads nor holds a zombie in, has no process left that could
     * still use the terminal. Not asked during a teardown, whose scans answer it for the command's group.
     */
    boolean groupIsEmpty(int pgid);

    /** Whether processes other than tether itself are in group {@code pgid}. */
    boolean hasOtherMembers(int pgid);

    /** Gives back what the table holds, once the tree is gone. */
    void close();

    /**
     * What one {@link #scan} found.
     *
     * @param inGroup        the live members of the group
     * @param outside        the live descendants outside the group, each signalled by its pid
     * @param outsideGroups  the process groups of descendants outside the group (live, or exited and not yet
     *                       reaped) that lie in a session the tree itself started: every process in such a
     *                       session descends from the tree, so a signal to the group reaches what it forked
     *                       since, however fast it forks
     * @param exitedChildren tether's own children that exited and are not reaped yet (the leader among them,
     *                       once it exited)
     * @param unread         what the scan could not read, with the OS's reason, or {@code null}: members may be
     *                       missing then
     * @param childrenRead   whether tether's own children were all read: every live descendant hangs from
     *                       one of them, so a scan that read them and found none live shows the tree empty,
     *                       whatever it could not read further down
     */
    record Scan(int[] inGroup, int[] outside, int[] outsideGroups, int[] exitedChildren, String unread,
            boolean childrenRead) {}

    /**
     * The table of the running system, holding what it needs from now on.
     *
     * @throws SpawnException when it cannot: nothing has started yet, so tether exits saying why
     */
    static ProcessTable of(UnixPlatform platform) throws SpawnException {
        return switch (platform.kernel()) {
            case LINUX -> LinuxProcessTable.open();
            case DARWIN -> new DarwinProcessTable(DarwinProcessTable.SYSTEM, CLibrary.getpid());
        };
    }
}

package tether.unix;

import java.util.List;
import tether.unix.darwin.DarwinProcessTable;
import tether.unix.linux.LinuxProcessTable;

/**
 * How one system lists the processes of a tree: the live members of its process group, and tether's live
 * descendants that left the group.
 *
 * <p>{@code kill(-pgid, 0)} cannot tell on Linux whether a group is empty: it keeps succeeding while the
 * group's only member is the unreaped zombie leader that tether holds on purpose. So a process counts as live
 * unless it is a zombie; a stopped process is live.
 */
public interface ProcessTable {

    /**
     * The live processes of group {@code pgid}, and the live descendants of {@code root} outside it;
     * {@code excluded} and its descendants are left out.
     */
    Scan scan(int root, int excluded, int pgid);

    /** The children of {@code pid}, live or not, for reaping. */
    List<Integer> childrenOf(int pid);

    /** Whether {@code pid} is stopped now, as opposed to continued since. */
    boolean isStopped(int pid);

    /**
     * Whether {@code pgid}, a group tether neither leads nor holds a zombie in, has no process left that could
     * still use the terminal. Not asked during a teardown, whose scans answer it for the command's group.
     */
    boolean groupIsEmpty(int pgid);

    /** What one {@link #scan} found. */
    record Scan(int[] inGroup, int[] outside) {}

    static ProcessTable of(UnixPlatform platform) {
        return switch (platform.kernel()) {
            case LINUX -> new LinuxProcessTable();
            case DARWIN -> new DarwinProcessTable(DarwinProcessTable.SYSTEM);
        };
    }
}

package tether.api;

import java.time.Duration;
import java.util.List;

/**
 * The live members of a {@link ProcessTree} as one scan found them: a value to count, signal and compare
 * with a later scan. Everything a teardown does to the tree goes through a snapshot, so no call depends on
 * another having run first.
 *
 * <p>A scan that found no member is not yet an empty tree: it is one only if it {@link #provesEmpty()
 * proves} it. A scan that could not read what it needed, or during which a member exited (a process that
 * exits hands its children up to tether, behind a scan that may already have passed there), is no
 * evidence, and a teardown scans again. A scan that could not read everything ({@link #unread()}) may
 * miss members further down, which then get no signal until a later scan finds them.
 */
public interface Members {

    /** How many live members (running or stopped, not zombies) the scan found. */
    int count();

    /**
     * Whether this scan shows the tree empty: it found no live member, read what that takes (on Unix,
     * tether's own children, from which every live descendant hangs), and no member exited while it ran.
     */
    boolean provesEmpty();

    /**
     * What this scan could not read, with the OS's reason ({@code cannot read /proc/42/stat (Too many open
     * files)}), so that members may be missing from it; {@code null} when it read everything.
     */
    String unread();

    /**
     * Sends {@code signal} to every member of this snapshot, and to members that joined the tree since
     * where the platform can reach them with the same call (a process group).
     *
     * @return the members the signal could not be sent to, such as a process that changed its user id
     */
    List<Unreachable> signal(TreeSignal signal);

    /**
     * The members of this snapshot that {@code earlier} did not have: descendants that appeared during a
     * teardown, which have not had the first signal yet. Signalling the result reaches only them.
     */
    Members newSince(Members earlier);

    /**
     * Waits until the tree may no longer be what this snapshot saw (a member exited) or {@code timeout}
     * passed, whichever comes first.
     */
    void awaitChange(Duration timeout) throws InterruptedException;

    /** A member that a signal could not be sent to, and the OS's reason. */
    record Unreachable(long pid, String reason) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + reason + ")";
        }
    }
}

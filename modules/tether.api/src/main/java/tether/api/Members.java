package tether.api;

import java.time.Duration;
import java.util.List;

/**
 * The live members of a {@link ProcessTree} as one scan found them: a value to count, signal and compare
 * with a later scan. Everything a teardown does to the tree goes through a snapshot, so no call depends on
 * another having run first.
 */
public interface Members {

    /** How many live members (running or stopped, not zombies) the scan found; 0 only when the tree is empty. */
    int count();

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

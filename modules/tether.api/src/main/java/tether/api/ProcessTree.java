package tether.api;

/**
 * A command started by a {@link ProcessTreeKiller} together with every descendant that stayed in its tree.
 *
 * <p>The root is not reaped until {@link #release()}: while it is an unreaped zombie its id, and with it
 * the group id, cannot be given to an unrelated process, so signals sent to the tree before release can
 * never reach a stranger. Reaping the other descendants that end up as tether's children is the
 * provider's own business.
 */
public interface ProcessTree extends Tree {

    /** The root's process id, which on Unix is also the group id. */
    long pid();

    /** Blocks until the root exits, without reaping it. */
    ExitStatus awaitExit() throws InterruptedException;

    /**
     * The TCP ports the tree's live members listen on (IPv4 and IPv6), sorted, each once, read from their own
     * sockets: a server of another tree on the same port (a second worktree's) is not this tree's, however it
     * answers.
     *
     * @throws UnsupportedOperationException where {@link ProcessTreeKiller#readsListeningPorts} says so
     */
    default int[] listeningPorts() {
        throw new UnsupportedOperationException("cannot read a tree's sockets on " + System.getProperty("os.name"));
    }

    /**
     * How the tree is held, for {@code -v}, completing "the tree is held ": "in cgroup PATH", or "by its
     * process group alone: " and why it has no cgroup; {@code null} where there is nothing to choose.
     */
    default String containment() {
        return null;
    }

    /**
     * Called once the tree is empty: reaps the root, tells anything that would tear the tree down in
     * tether's place that it is done, and gives back what the spawn took, such as the terminal's
     * foreground.
     */
    void release();
}

package tether.api;

/**
 * A command started by a {@link ProcessTreeKiller} together with every descendant that stayed in its tree.
 *
 * <p>The root is not reaped until {@link #release()}: while it is an unreaped zombie its id, and with it
 * the group id, cannot be given to an unrelated process, so signals sent to the tree before release can
 * never reach a stranger. Reaping the other descendants that end up as tether's children is the
 * provider's own business.
 */
public interface ProcessTree {

    /** The root's process id, which on Unix is also the group id. */
    long pid();

    /** Blocks until the root exits, without reaping it. */
    ExitStatus awaitExit() throws InterruptedException;

    /** The live members now. */
    Members members();

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

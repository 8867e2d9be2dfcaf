package tether.api;

/**
 * A command started by a {@link ProcessTreeKiller} together with every descendant that stayed in its tree.
 *
 * <p>The root is not reaped until {@link #release()}: while it is an unreaped zombie its id, and with it
 * the group id, cannot be given to an unrelated process, so signals sent to the tree before release can
 * never reach a stranger.
 */
public interface ProcessTree {

    /** The root's process id, which on Unix is also the group id. */
    long pid();

    /** Blocks until the root exits, without reaping it. */
    ExitStatus awaitExit() throws InterruptedException;

    /** How many members of the tree are alive (running or stopped, not zombies); 0 when it is empty. */
    int liveMembers();

    /** Sends {@code signal} to every member of the tree. */
    void signal(TreeSignal signal);

    /**
     * Reaps descendants that were orphaned to tether and have exited. tether calls it every poll: a
     * process that adopts orphans must reap them, or they stay zombies (which look alive to
     * {@code ProcessHandle}) for as long as tether runs.
     */
    default void reapOrphans() {}

    /**
     * Called once the tree is empty: reaps the root, tells anything that would tear the tree down in
     * tether's place that it is done, and gives back what the spawn took, such as the terminal's
     * foreground.
     */
    void release();
}

package tether.api;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The one teardown routine, used whatever ended the supervision (the command exited, the watched path
 * went away, tether was signalled): first signal and SIGCONT to the whole tree, poll until it has no live
 * member, SIGKILL at the grace deadline, and confirm it is empty.
 *
 * <p>It polls instead of sleeping: a tree that obeys the first signal is gone within milliseconds, and
 * tether should exit then, not after a fixed delay.
 */
public final class Teardown {

    /**
     * How often the tree is checked for live members. Short enough that tether notices an emptied tree
     * within a few milliseconds; long enough that a 200-process tree's scan does not occupy a core.
     */
    static final Duration POLL = Duration.ofMillis(3);

    /**
     * How long an emptied tree is waited for after SIGKILL. SIGKILL cannot be caught, so only a process in
     * uninterruptible sleep outlives it; tether reports that rather than hanging on it.
     */
    static final Duration KILL_CONFIRMATION = Duration.ofSeconds(1);

    /**
     * What a teardown did.
     *
     * @param reachedByFirst how many live members the first signal reached (0: the tree was already empty)
     * @param reachedByKill  how many were still alive at the grace deadline and got SIGKILL
     * @param elapsed        from the start of the teardown until the tree was empty, or until tether gave up
     * @param empty          whether the tree was confirmed empty
     */
    public record Report(int reachedByFirst, int reachedByKill, Duration elapsed, boolean empty) {}

    private Teardown() {}

    /** Tears {@code tree} down, giving it {@code grace} between {@code first} and SIGKILL. */
    public static Report run(ProcessTree tree, TreeSignal first, Duration grace) {
        long start = System.nanoTime();
        int live = tree.liveMembers();
        if (live == 0) {
            return new Report(0, 0, since(start), true);
        }
        tree.signal(first);
        // A stopped process acts on nothing but SIGKILL and SIGCONT: wake it so it can see the first signal.
        tree.signal(TreeSignal.CONT);
        if (emptyBy(tree, start + grace.toNanos())) {
            return new Report(live, 0, since(start), true);
        }
        int stubborn = tree.liveMembers();
        if (stubborn == 0) {
            return new Report(live, 0, since(start), true);
        }
        tree.signal(TreeSignal.KILL);
        boolean empty = emptyBy(tree, System.nanoTime() + KILL_CONFIRMATION.toNanos());
        return new Report(live, stubborn, since(start), empty);
    }

    private static boolean emptyBy(ProcessTree tree, long deadline) {
        while (true) {
            if (tree.liveMembers() == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, POLL.toNanos()));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

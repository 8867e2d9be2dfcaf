package tether.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one teardown routine, used whatever ended the supervision (the command exited, the watched path
 * went away, tether was signalled): the first signal and SIGCONT to the whole tree, wait until it has no
 * live member, SIGKILL at the grace deadline, and confirm it is empty.
 *
 * <p>Every wait ends early when a member exits, so a tree that obeys the first signal is gone, and tether
 * with it, within milliseconds; between exits the tree is scanned at growing intervals, so a long grace
 * costs next to nothing. Descendants that appear during the grace period get the first signal too. After
 * the deadline, everything each scan finds is killed again until a scan is empty: a process that keeps
 * forking cannot outrun it, because a killed process forks no more and whatever it forked before dying is
 * found by the next scan.
 */
public final class Teardown {

    /** The first wait after a signal: an obedient tree is usually gone by then. */
    static final Duration FIRST_WAIT = Duration.ofMillis(5);

    /**
     * The longest wait between two scans. Members' exits end a wait early, so this only bounds how late
     * a change nobody was told of is noticed; long enough that a 10-second grace costs a few dozen scans.
     */
    static final Duration LONGEST_WAIT = Duration.ofMillis(100);

    /**
     * How long an emptied tree is waited for after SIGKILL. SIGKILL cannot be caught, so only a process in
     * uninterruptible sleep outlives it; tether reports that rather than hanging on it.
     */
    static final Duration KILL_CONFIRMATION = Duration.ofSeconds(1);

    /** Between two SIGKILL rounds: time for the killed to die and for their orphans to be found. */
    static final Duration KILL_ROUND = Duration.ofMillis(2);

    /**
     * What a teardown did.
     *
     * @param reachedByFirst how many live members the first signal reached (0: the tree was already empty)
     * @param reachedByKill  how many were still alive at the grace deadline and got SIGKILL
     * @param elapsed        from the start of the teardown until the tree was empty, or until tether gave up
     * @param empty          whether the tree was confirmed empty
     * @param unreachable    the members a signal could not be sent to, one entry per process
     */
    public record Report(int reachedByFirst, int reachedByKill, Duration elapsed, boolean empty,
            List<Members.Unreachable> unreachable) {
        public Report {
            unreachable = List.copyOf(unreachable);
        }
    }

    private final Map<Long, Members.Unreachable> unreachable = new LinkedHashMap<>();

    private Teardown() {}

    /** Tears {@code tree} down, giving it {@code grace} between {@code first} and SIGKILL. */
    public static Report run(Tree tree, TreeSignal first, Duration grace) throws InterruptedException {
        return new Teardown().tearDown(tree, first, grace);
    }

    private Report tearDown(Tree tree, TreeSignal first, Duration grace) throws InterruptedException {
        long start = System.nanoTime();
        Members members = tree.members();
        if (members.count() == 0) {
            return report(0, 0, start, true);
        }
        int reachedByFirst = members.count();
        signalFirst(members, first);
        Members signalled = members;
        long deadline = start + grace.toNanos();
        Duration wait = FIRST_WAIT;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            members.awaitChange(min(wait, Duration.ofNanos(left)));
            wait = min(wait.plus(wait), LONGEST_WAIT);
            members = tree.members();
            if (members.count() == 0) {
                return report(reachedByFirst, 0, start, true);
            }
            Members newcomers = members.newSince(signalled);
            if (newcomers.count() > 0) {
                reachedByFirst += newcomers.count();
                signalFirst(newcomers, first);
                signalled = members;
            }
        }
        members = tree.members();
        int reachedByKill = members.count();
        long killDeadline = System.nanoTime() + KILL_CONFIRMATION.toNanos();
        while (members.count() > 0) {
            List<Members.Unreachable> refused = members.signal(TreeSignal.KILL);
            note(refused);
            // Waiting cannot help when no member left is one tether may signal.
            if (refused.size() >= members.count() || System.nanoTime() > killDeadline) {
                return report(reachedByFirst, reachedByKill, start, false);
            }
            members.awaitChange(KILL_ROUND);
            members = tree.members();
        }
        return report(reachedByFirst, reachedByKill, start, true);
    }

    /** A stopped process acts on nothing but SIGKILL and SIGCONT: it is woken so it can see the first signal. */
    private void signalFirst(Members members, TreeSignal first) {
        note(members.signal(first));
        members.signal(TreeSignal.CONT);
    }

    private void note(List<Members.Unreachable> found) {
        for (Members.Unreachable member : found) {
            unreachable.putIfAbsent(member.pid(), member);
        }
    }

    private Report report(int reachedByFirst, int reachedByKill, long start, boolean empty) {
        return new Report(reachedByFirst, reachedByKill, Duration.ofNanos(System.nanoTime() - start), empty,
                new ArrayList<>(unreachable.values()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

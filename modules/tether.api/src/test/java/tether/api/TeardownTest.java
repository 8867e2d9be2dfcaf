package tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {

    /**
     * A tree whose members die on the signals they do not ignore; {@code stuck} members survive SIGKILL,
     * {@code refusing} ones cannot be signalled at all, and {@code forks} new obedient members appear at
     * the next scan after the first signal. {@code hidden} members ignore the first signal and are missed
     * by every scan, which then proves nothing (as when a member's exit overtakes a scan), and
     * {@code unread} is what every scan could not read.
     */
    static final class FakeTree implements ProcessTree {
        final List<TreeSignal> sent = new ArrayList<>();
        int obedient;
        int ignoringFirst;
        int stuck;
        int refusing;
        int forks;
        int hidden;
        String unread;

        FakeTree(int obedient, int ignoringFirst, int stuck) {
            this.obedient = obedient;
            this.ignoringFirst = ignoringFirst;
            this.stuck = stuck;
        }

        @Override
        public long pid() {
            return 42;
        }

        @Override
        public ExitStatus awaitExit() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Members members() {
            return new Snapshot(obedient + ignoringFirst + stuck + refusing, false);
        }

        @Override
        public void release() {}

        final class Snapshot implements Members {
            final int count;
            final boolean newcomers;

            Snapshot(int count, boolean newcomers) {
                this.count = count;
                this.newcomers = newcomers;
            }

            @Override
            public int count() {
                return count;
            }

            @Override
            public boolean provesEmpty() {
                return count == 0 && hidden == 0;
            }

            @Override
            public String unread() {
                return unread;
            }

            @Override
            public List<Unreachable> signal(TreeSignal signal) {
                sent.add(signal);
                switch (signal) {
                    case CONT -> { }
                    case KILL -> {
                        ignoringFirst = 0;
                        obedient = 0;
                        hidden = 0;
                    }
                    default -> {
                        obedient = newcomers ? obedient - count : forks;
                        forks = 0;
                    }
                }
                List<Unreachable> refused = new ArrayList<>();
                for (int i = 0; i < refusing && signal != TreeSignal.CONT; i++) {
                    refused.add(new Unreachable(1000 + i, "Operation not permitted"));
                }
                return refused;
            }

            @Override
            public Members newSince(Members earlier) {
                return new Snapshot(Math.max(0, count - earlier.count()), true);
            }

            @Override
            public void awaitChange(Duration timeout) throws InterruptedException {
                Thread.sleep(timeout);
            }
        }
    }

    @Test
    void emptyTreeGetsNoSignal() throws Exception {
        FakeTree tree = new FakeTree(0, 0, 0);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofSeconds(5));
        assertEquals(List.of(), tree.sent);
        assertEquals(0, report.reachedByFirst());
        assertTrue(report.empty());
    }

    @Test
    void obedientTreeGetsFirstSignalAndContinueOnlyAndDoesNotWaitForGrace() throws Exception {
        FakeTree tree = new FakeTree(3, 0, 0);
        Teardown.Report report = Teardown.run(tree, TreeSignal.INT, Duration.ofSeconds(30));
        assertEquals(List.of(TreeSignal.INT, TreeSignal.CONT), tree.sent);
        assertEquals(3, report.reachedByFirst());
        assertEquals(0, report.reachedByKill());
        assertTrue(report.empty());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "took " + report.elapsed());
    }

    @Test
    void membersIgnoringTheFirstSignalAreKilledAtGrace() throws Exception {
        FakeTree tree = new FakeTree(2, 1, 0);
        Duration grace = Duration.ofMillis(50);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, grace);
        assertEquals(List.of(TreeSignal.TERM, TreeSignal.CONT, TreeSignal.KILL), tree.sent);
        assertEquals(3, report.reachedByFirst());
        assertEquals(1, report.reachedByKill());
        assertTrue(report.empty());
        assertTrue(report.elapsed().compareTo(grace) >= 0, "SIGKILL came before the grace period ended");
    }

    @Test
    void aMemberThatOutlivesSigkillIsReportedNotWaitedForever() throws Exception {
        FakeTree tree = new FakeTree(0, 0, 1);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(10));
        assertFalse(report.empty());
        assertEquals(1, report.reachedByKill());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(30)) < 0);
    }

    /** Members forked during the grace period get the first signal too, once; the others do not get it twice. */
    @Test
    void newcomersDuringTheGraceGetTheFirstSignalOnce() throws Exception {
        FakeTree tree = new FakeTree(0, 1, 0);
        tree.forks = 2;
        Teardown.Report report = Teardown.run(tree, TreeSignal.INT, Duration.ofMillis(200));
        assertEquals(List.of(TreeSignal.INT, TreeSignal.CONT, TreeSignal.INT, TreeSignal.CONT, TreeSignal.KILL),
                tree.sent);
        assertEquals(3, report.reachedByFirst());
        assertTrue(report.empty());
    }

    /** A member tether may not signal is named, the others are still signalled, and tether does not hang. */
    @Test
    void membersThatCannotBeSignalledAreReportedAndTheRestIsTornDown() throws Exception {
        FakeTree tree = new FakeTree(2, 0, 0);
        tree.refusing = 1;
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(50));
        assertEquals(0, tree.obedient);
        assertFalse(report.empty());
        assertEquals(List.of(new Members.Unreachable(1000, "Operation not permitted")), report.unreachable());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(1)) < 0, "waited for what it cannot kill");
    }

    /**
     * A scan that finds no member but proves nothing (a member's exit overtook it, or a process hops from pid
     * to pid) is no empty tree: the signals still go out, and the teardown goes on to SIGKILL.
     */
    @Test
    void aScanThatFindsNothingButProvesNothingIsNoEmptyTree() throws Exception {
        FakeTree tree = new FakeTree(0, 0, 0);
        tree.hidden = 1;
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(50));
        assertEquals(List.of(TreeSignal.TERM, TreeSignal.CONT, TreeSignal.KILL), tree.sent);
        assertTrue(report.empty());
        assertEquals(0, tree.hidden);
    }

    /** What a scan could not read is reported; it does not end the teardown early, nor stop the signals. */
    @Test
    void whatAScanCouldNotReadIsReportedAndTheTreeIsStillSignalled() throws Exception {
        FakeTree tree = new FakeTree(1, 1, 0);
        tree.unread = "cannot read /proc/42/task: Too many open files";
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(50));
        assertEquals(List.of(TreeSignal.TERM, TreeSignal.CONT, TreeSignal.KILL), tree.sent);
        assertTrue(report.empty());
        assertEquals("cannot read /proc/42/task: Too many open files", report.unread());
    }
}

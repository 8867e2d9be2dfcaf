package tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TeardownTest {

    /** A tree whose members die on the signals they do not ignore; {@code stuck} members survive SIGKILL. */
    static final class FakeTree implements ProcessTree {
        final List<TreeSignal> sent = new ArrayList<>();
        int obedient;
        int ignoringFirst;
        int stuck;

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
        public int liveMembers() {
            return obedient + ignoringFirst + stuck;
        }

        @Override
        public void signal(TreeSignal signal) {
            sent.add(signal);
            switch (signal) {
                case CONT -> { }
                case KILL -> ignoringFirst = 0;
                default -> obedient = 0;
            }
        }

        @Override
        public void release() {}
    }

    @Test
    void emptyTreeGetsNoSignal() {
        FakeTree tree = new FakeTree(0, 0, 0);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofSeconds(5));
        assertEquals(List.of(), tree.sent);
        assertEquals(0, report.reachedByFirst());
        assertTrue(report.empty());
    }

    @Test
    void obedientTreeGetsFirstSignalAndContinueOnlyAndDoesNotWaitForGrace() {
        FakeTree tree = new FakeTree(3, 0, 0);
        Teardown.Report report = Teardown.run(tree, TreeSignal.INT, Duration.ofSeconds(30));
        assertEquals(List.of(TreeSignal.INT, TreeSignal.CONT), tree.sent);
        assertEquals(3, report.reachedByFirst());
        assertEquals(0, report.reachedByKill());
        assertTrue(report.empty());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(10)) < 0, "took " + report.elapsed());
    }

    @Test
    void membersIgnoringTheFirstSignalAreKilledAtGrace() {
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
    void aMemberThatOutlivesSigkillIsReportedNotWaitedForever() {
        FakeTree tree = new FakeTree(0, 0, 1);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(10));
        assertFalse(report.empty());
        assertEquals(1, report.reachedByKill());
        assertTrue(report.elapsed().compareTo(Duration.ofSeconds(30)) < 0);
    }
}

package tether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.SpawnRequest;
import tether.api.TreeSignal;

/**
 * The supervision's handling of a failure on another of tether's threads, with a tree that tells what the
 * teardown did to it. Real processes cannot fail one of tether's threads at a chosen moment; this can.
 */
class SupervisorTest {

    @Test
    void aFailureDuringTheTeardownLetsItFinishAndIsReportedAfter() throws Exception {
        FakeTree tree = new FakeTree(() -> failOnAnotherThread("tether-signals"));
        int status = new Supervisor(new FakeKiller(tree), request(), null, Duration.ofSeconds(1), null).run(null);

        assertEquals(2, tree.scans.get(), "the teardown scanned again after the failure, until the tree was empty");
        assertTrue(tree.released, "the tree was released, so the sentinel was told done");
        assertEquals(Main.OWN_FAILURE, status, "the failure is tether's, reported once the teardown is done");
    }

    @Test
    void aTeardownWithoutFailureEndsWithTheCommandsStatus() throws Exception {
        FakeTree tree = new FakeTree(() -> {});
        int status = new Supervisor(new FakeKiller(tree), request(), null, Duration.ofSeconds(1), null).run(null);

        assertTrue(tree.released);
        assertEquals(3, status);
    }

    /**
     * What the default uncaught-exception handler does on a thread of tether's that failed, waited for
     * here as the teardown would not wait: an interrupt it gets meanwhile is kept for the teardown's next wait.
     */
    private static void failOnAnotherThread(String name) {
        Thread thread = new Thread(() -> Supervisor.failed(Thread.currentThread(), new OutOfMemoryError("test")), name);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static SpawnRequest request() {
        return new SpawnRequest(List.of("true".getBytes()), null, List.of(), TreeSignal.TERM, Duration.ofSeconds(5), 1);
    }

    /**
     * A command that exited with 3 and left one member, which the first signal ends: the first scan finds
     * it, {@code duringFirstSignal} runs as the teardown signals it, and every later scan proves the tree
     * empty. Waits are real waits, so an interrupt ends them as it would a real one.
     */
    private static final class FakeTree implements ProcessTree {
        private final Runnable duringFirstSignal;
        final AtomicInteger scans = new AtomicInteger();
        volatile boolean released;

        FakeTree(Runnable duringFirstSignal) {
            this.duringFirstSignal = duringFirstSignal;
        }

        @Override
        public long pid() {
            return 42;
        }

        @Override
        public ExitStatus awaitExit() {
            return ExitStatus.exited(3);
        }

        @Override
        public Members members() {
            return new FakeMembers(scans.getAndIncrement() == 0 ? 1 : 0);
        }

        @Override
        public void release() {
            released = true;
        }

        private final class FakeMembers implements Members {
            private final int count;

            FakeMembers(int count) {
                this.count = count;
            }

            @Override
            public int count() {
                return count;
            }

            @Override
            public boolean provesEmpty() {
                return count == 0;
            }

            @Override
            public String unread() {
                return null;
            }

            @Override
            public List<Unreachable> signal(TreeSignal signal) {
                if (signal != TreeSignal.CONT && signal != TreeSignal.KILL) {
                    duringFirstSignal.run();
                }
                return List.of();
            }

            @Override
            public Members newSince(Members earlier) {
                return new FakeMembers(0);
            }

            @Override
            public void awaitChange(Duration timeout) throws InterruptedException {
                Thread.sleep(timeout);
            }
        }
    }
}

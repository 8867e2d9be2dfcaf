package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;

/**
 * A tether that cannot act because it is stopped, and one that is asked to end while it waits for its
 * detached half: {@code --stop} and a hook runner's Ctrl-C or timeout must still get what they ask for.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "--stop reads /proc; setsid(1)")
class StoppedAndCancelledIT extends LauncherTest {

    /**
     * A tether suspended from outside (Ctrl-Z of a job, {@code kill -STOP}) would keep a SIGTERM pending for
     * as long as it stays stopped: {@code --stop} continues it too, as a shell's {@code kill %1} does, and it
     * tears its tree down at once instead of {@code --stop} giving up after the grace.
     */
    @Test
    void stopEndsASuspendedTether() throws Exception {
        Path worktree = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(worktree, tetherSh(List.of("--grace", "1s"), tree(pids, 1)));
        List<Long> tree = awaitPids(run, pids, 2);
        Procs.kill(run.pid(), "STOP");
        Procs.await(() -> Procs.isStopped(run.pid()), DEADLINE, "tether to be stopped");
        long before = System.nanoTime();
        Commands stopped = Commands.run(temp, List.of(LAUNCHER.toAbsolutePath().toString(), "--stop", worktree.toString()));
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertEquals(0, stopped.status(), stopped.output());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "--stop took " + took.toMillis() + " ms: " + stopped.output());
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree));
    }

    /**
     * {@code --detach}'s first half waits for the detached tether to report; a SIGTERM (a hook runner's
     * timeout) or SIGINT (Ctrl-C) meanwhile cancels the start: it exits 128 + N at once, and the detached
     * tether is told to end, tearing down whatever it started. The detached tether is held stopped here,
     * before it could report, so that the signal certainly finds the first half waiting: without the
     * cancel it would wait for ever, so the usual deadline tells the two apart, where a shorter one would
     * only measure the machine's load.
     */
    @Test
    void aSignalWhileDetachingCancelsTheStart() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Detaching detaching = detachingHeldBeforeItReports();
            Procs.kill(detaching.first().pid(), signal);
            int expected = 128 + (signal.equals("TERM") ? 15 : 2);
            assertEquals(expected, detaching.first().awaitExit(DEADLINE),
                    "SIG" + signal + ": " + detaching.first().stderr());
            assertEquals("", detaching.first().stderr());
            Procs.kill(detaching.detached(), "CONT");
            Procs.await(() -> !Procs.isAlive(detaching.detached()), DEADLINE, "the detached tether to end");
            Procs.await(() -> markedAlive().isEmpty(), DEADLINE, () -> "its tree to be gone: " + markedAlive());
        }
    }

    /** A {@code --detach} whose first half waits, and the detached tether, stopped before it reported. */
    record Detaching(TetherRun first, long detached) {}

    /**
     * Starts {@code tether --detach} and stops the detached tether as soon as it appears, which is well before
     * its JVM can report; should it have started COMMAND all the same (a very slow look at /proc), it starts
     * again.
     */
    Detaching detachingHeldBeforeItReports() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            TetherRun first = start(temp, tetherSh(List.of("--detach", "--no-watch"), "sleep 600"));
            Procs.await(() -> !Procs.childrenOf(first.pid()).isEmpty() || !first.process.isAlive(), DEADLINE,
                    "the detached tether to start");
            List<Long> children = Procs.childrenOf(first.pid());
            if (!children.isEmpty()) {
                long detached = children.getFirst();
                Procs.kill(detached, "STOP");
                Procs.await(() -> Procs.isStopped(detached), DEADLINE, "the detached tether to stop");
                // It reports right after starting COMMAND, its second child after the sentinel.
                if (first.process.isAlive() && Procs.childrenOf(detached).size() < 2) {
                    return new Detaching(first, detached);
                }
                Procs.kill(detached, "CONT");
            }
            first.awaitExit(DEADLINE);
        }
        throw new AssertionError("the detached tether reported before it could be stopped, five times");
    }
}

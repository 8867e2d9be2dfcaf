package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tether.testkit.Procs;

/** The tree dies when the worktree (or --watch PATH) is removed or replaced (docs/guarantees.md: What it does, Watch). */
class WatchIT extends LauncherTest {

    /** Long enough to prove that SIGTERM, not SIGKILL at the grace deadline, ended an obedient tree. */
    static final List<String> LONG_GRACE = List.of("--grace", "30s");

    TetherRun startTree(Path directory, List<String> options, Path pids, int sleepers) {
        return start(directory, tetherSh(options, tree(pids, sleepers)));
    }

    @Test
    void gitWorktreeRemoveForce() {
        Path worktree = worktree("feature");
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(worktree, LONG_GRACE, pids, 2);
        List<Long> tree = awaitPids(pids, 3);
        run(temp.resolve("repo"), "git", "worktree", "remove", "--force", worktree.toString());
        assertTornDown(run, tree);
    }

    @Test
    void rmRf() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("wt/deep"));
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(dir, LONG_GRACE, pids, 2);
        List<Long> tree = awaitPids(pids, 3);
        run(temp, "rm", "-rf", temp.resolve("wt").toString());
        assertTornDown(run, tree);
    }

    @Test
    void renamedAway() throws Exception {
        Path worktree = worktree("renamed");
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(worktree, LONG_GRACE, pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        Files.move(worktree, temp.resolve("trash"));
        assertTornDown(run, tree);
    }

    @Test
    void replacedByAnEmptyPlaceholder() throws Exception {
        Path worktree = worktree("placeholder");
        Path pids = temp.resolve("pids");
        // The poll is slow on purpose: the placeholder exists before tether looks again.
        TetherRun run = startTree(worktree, List.of("--poll", "1s", "--grace", "30s"), pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        run(temp, "sh", "-c", "mv '" + worktree + "' '" + temp.resolve("trash") + "' && mkdir '" + worktree + "'");
        assertTornDown(run, tree);
        assertTrue(Files.isDirectory(worktree));
    }

    @Test
    void worktreeReAddedAtTheSamePath() {
        Path worktree = worktree("again");
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(worktree, List.of("--poll", "2s", "--grace", "30s"), pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        Path repo = temp.resolve("repo");
        run(repo, "sh", "-c", "git worktree remove --force '" + worktree + "' && git worktree add -q '"
                + worktree + "' again");
        assertTornDown(run, tree);
        assertTrue(Files.isDirectory(worktree.resolve(".git")) || Files.exists(worktree.resolve(".git")));
    }

    @Test
    void watchAnotherPathFromElsewhere() throws Exception {
        Path other = Files.createDirectory(temp.resolve("other"));
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(elsewhere, List.of("--watch", other.toString(), "--grace", "30s"), pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        Files.delete(other);
        assertTornDown(run, tree);
        assertTrue(Files.isDirectory(elsewhere));
    }

    @Test
    void watchingAFileAndItsReplacement() throws Exception {
        Path file = Files.writeString(temp.resolve("lock"), "1");
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(temp, List.of("-w", "lock", "--poll", "1s", "--grace", "30s"), pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        run(temp, "sh", "-c", "rm lock && echo 2 > lock");
        assertTornDown(run, tree);
        assertTrue(Files.exists(file));
    }

    @Test
    void dashCStillWatchesTethersOwnDirectory() throws Exception {
        Path worktree = worktree("withsub");
        Path sub = Files.createDirectory(worktree.resolve("sub"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(worktree, tether("-C", "sub", "--grace", "30s", "--", "sh", "-c",
                "pwd > " + temp.resolve("pwd") + "; " + tree(pids, 1)));
        List<Long> tree = awaitPids(pids, 2);
        // The real path: the temporary directory may be reached through a symbolic link (/var on macOS).
        assertEquals(List.of(sub.toRealPath().toString()), lines(temp.resolve("pwd")));
        run(temp.resolve("repo"), "git", "worktree", "remove", "--force", worktree.toString());
        assertTornDown(run, tree);
    }

    @Test
    void twoHundredProcesses() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("big"));
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(dir, LONG_GRACE, pids, 200);
        List<Long> tree = awaitPids(pids, 201);
        run(temp, "rm", "-rf", dir.toString());
        assertTornDown(run, tree);
    }

    @Test
    void aStoppedTreeIsContinuedSoItCanObeySigterm() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("stopped"));
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(dir, LONG_GRACE, pids, 2);
        List<Long> tree = awaitPids(pids, 3);
        Procs.killGroup(tree.getLast(), "STOP");
        Procs.await(() -> tree.stream().allMatch(Procs::isStopped), DEADLINE, "stopped tree");
        Files.delete(dir);
        assertTornDown(run, tree);
    }

    @Test
    void aDescendantIgnoringSigtermIsKilledAtGrace() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("stubborn"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(dir, tetherSh(List.of("--grace", "500ms"), "trap '' TERM; " + tree(pids, 1)));
        List<Long> tree = awaitPids(pids, 2);
        long removed = System.nanoTime();
        Files.delete(dir);
        assertTornDown(run, tree);
        assertTrue(Duration.ofNanos(System.nanoTime() - removed).toMillis() >= 500, "SIGKILL before grace ended");
    }

    @Test
    void noWatchIgnoresTheRemoval() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("unwatched"));
        Path pids = temp.resolve("pids");
        TetherRun run = startTree(dir, List.of("--no-watch", "--poll", "10ms"), pids, 1);
        List<Long> tree = awaitPids(pids, 2);
        Files.delete(dir);
        // A watching tether would have noticed within a few polls; this one must still be running.
        assertTrue(!run.process.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(tree, Procs.alive(tree));
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
        assertEquals(List.of(), Procs.alive(tree));
    }
}

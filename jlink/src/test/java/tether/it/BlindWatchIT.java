package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;

/**
 * A watched path tether can no longer look at: a parent made unsearchable to tether's user (or a network
 * file system answering EACCES or EIO). The path's own answer is no removal; but tether holds the watched
 * directory open, and that hold still tells a removal (the directory has no name left). While it can tell
 * nothing, tether says so once.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the watch holds the path with O_PATH, Linux's; setpriv (util-linux)")
class BlindWatchIT extends LauncherTest {

    /** Parents made unsearchable, given their permissions back after each test so they can be cleaned up. */
    private final List<Path> locked = new ArrayList<>();

    @AfterEach
    void unlock() {
        for (Path parent : locked) {
            run(temp, "chmod", "755", parent.toString());
        }
    }

    /**
     * tether, run as another user than the test's, so that a parent can be made unsearchable to tether
     * alone while the test still removes the worktree: that takes root (setpriv).
     */
    TetherRun startLockable(Path worktree, Path parent, Path pids) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + ResourceLimitsIT.UID,
                "--regid=" + ResourceLimitsIT.UID, "--clear-groups",
                imageOtherUsersCanRun().resolve("tether/bin/tether").toString(), "--poll", "50ms", "--grace", "300ms",
                "--", "sh", "-c", tree(pids, 1)));
        run(temp, "chmod", "777", temp.toString(), parent.toString(), worktree.toString());
        return start(worktree, command);
    }

    void lock(Path parent) {
        locked.add(parent);
        run(temp, "chmod", "700", parent.toString());
    }

    @Test
    @RequiresRoot("runs tether as another user, locked out of a parent the test still reaches")
    void aRemovalBehindAParentTetherMayNotSearchIsSeen() throws Exception {
        Path parent = Files.createDirectory(temp.resolve("parent"));
        Path worktree = Files.createDirectory(parent.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun run = startLockable(worktree, parent, pids);
        List<Long> tree = awaitPids(run, pids, 2);
        lock(parent);
        Procs.await(() -> run.stderr().contains("cannot check"), DEADLINE, () -> "tether to say it cannot check "
                + worktree + "; stderr: " + run.stderr());
        assertTrue(Procs.holdsFor(run.process::isAlive, Duration.ofMillis(300)), "no removal yet: " + run.stderr());
        run(temp, "rm", "-rf", worktree.toString());
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        Procs.awaitDead(tree, DEADLINE);
        assertEquals(1, run.stderr().lines().count(), "one line while it could not check: " + run.stderr());
    }
}

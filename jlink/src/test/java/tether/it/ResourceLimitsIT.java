package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.Requirements;
import tether.testkit.RequiresRoot;
import tether.testkit.RequiresTools;

/**
 * tether when a limit leaves it short of what it needs: no process of the tree may survive because of how
 * tether failed. Every test keeps a member of the group and a descendant that left it in a session of its
 * own, both ignoring SIGTERM: only a teardown that reaches both by SIGKILL ends them.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "prlimit and setpriv (util-linux), /proc")
class ResourceLimitsIT extends LauncherTest {

    /** A uid of this test's own, for the processes it limits: its process count is theirs alone. */
    static final int UID = 45_000 + (int) (ProcessHandle.current().pid() % 1000);

    /** The processes whose real uid is {@link #UID} are killed after each test, if it ran as root. */
    @AfterEach
    void killTheUidsProcesses() {
        if (Requirements.isRoot()) {
            Commands.run(temp, List.of("pkill", "-KILL", "-U", String.valueOf(UID)));
        }
    }

    /** A member that ignores SIGTERM, an escapee in a session of its own that ignores it too, their pids in {@code pids}. */
    static String stubbornTree(Path pids) {
        return "trap '' TERM; setsid sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; exec sleep 600' & "
                + "sh -c 'trap \"\" TERM; echo $$ >> " + pids + "; exec sleep 600' & ";
    }

    /**
     * COMMAND fills the user's process limit (a runaway parallel build) and exits (waiting for the filler
     * without forking, which the limit would refuse): tether can start no
     * thread then, and needs none. Run with {@code -v}, whose first message takes long enough that, before,
     * tether tried to start the thread that waits for COMMAND's exit only once the limit was reached (and
     * skipped its teardown: the escapee survived). tether runs as a uid of the test's own, whose process count
     * the limit is set against, which takes root.
     */
    @Test
    @RequiresRoot("runs tether as a uid of its own, under a process limit only that uid counts against")
    @RequiresTools(value = "python3", why = "fills the process limit from a small Python program")
    void aCommandThatFillsTheProcessLimitIsStillTornDown() throws Exception {
        Path shared = imageOtherUsersCanRun();
        Path work = Files.createDirectory(shared.resolve("work"));
        run(temp, "chmod", "777", work.toString());
        Path pids = work.resolve("pids");
        Path filled = work.resolve("filled");
        Path filler = Files.writeString(work.resolve("fill.py"), """
                import os, sys, time
                # Forks children that sleep, until the process limit refuses one; then says how many.
                count = 0
                while True:
                    try:
                        pid = os.fork()
                    except OSError:
                        break
                    if pid == 0:
                        time.sleep(30)
                        os._exit(0)
                    count += 1
                open(sys.argv[1], "w").write(str(count) + "\\n")
                time.sleep(30)
                """);
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "prlimit", "--nproc=64", shared.resolve("tether/bin/tether").toString(), "-v", "--no-watch", "--grace",
                "300ms", "--", "sh", "-c", stubbornTree(pids) + "python3 " + filler + " " + filled
                        + " & while [ ! -s " + filled + " ]; do :; done; exit 3"));
        TetherRun run = start(work, command);
        int status = run.awaitExit(DEADLINE);
        List<Long> tree = lines(pids).stream().map(Long::parseLong).toList();
        assertEquals(2, tree.size(), "the member and the escapee started; stderr: " + run.stderr());
        assertFalse(lines(filled).isEmpty(), "the filler reached the limit; stderr: " + run.stderr());
        assertEquals(3, status, "COMMAND's status, not a failure of tether's: " + run.stderr());
        Procs.awaitDead(tree, DEADLINE);
        assertFalse(run.stderr().contains("internal error"), run.stderr());
    }

    /**
     * tether can open no file any more (here its own limit of descriptors, set from outside; the same as a
     * full system file table): /proc cannot be read, and that is no empty tree. The group still gets its
     * signals, tether's own children (which it finds through what it opened before COMMAND started) get
     * SIGKILL, and their orphans after them; tether says in one line what it could not read.
     */
    @Test
    void aProcThatCannotBeReadIsNoEmptyTree() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--no-watch", "--grace", "300ms"), stubbornTree(pids) + "wait"));
        List<Long> tree = awaitPids(run, pids, 2);
        run(temp, "prlimit", "--pid", String.valueOf(run.pid()), "--nofile=3:3");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        Procs.awaitDead(tree, DEADLINE);
        List<String> warnings = run.stderr().lines().toList();
        assertEquals(1, warnings.size(), run.stderr());
        assertTrue(warnings.getFirst().startsWith("tether: WARN: cannot "), run.stderr());
        assertTrue(warnings.getFirst().contains("Too many open files"), run.stderr());
    }
}

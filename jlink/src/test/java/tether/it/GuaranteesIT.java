package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;

/**
 * What no process-group supervisor does: descendants that left the group (setsid, double fork), tether
 * itself SIGKILLed, many worktrees removed at once, and hostile conditions.
 */
class GuaranteesIT extends LauncherTest {

    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "setsid(1); and the escapee, orphaned when the command exits, is reached through "
                    + "PR_SET_CHILD_SUBREAPER")
    @Test
    void aSetsidEscapeeDiesWithTheRestAfterTheCommandExits() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--grace", "30s"), "setsid sleep 600 & echo $! > " + pids
                + "; sleep 600 & echo $! >> " + pids + "; exit 0"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        List<Long> escaped = lines(pids).stream().map(Long::parseLong).toList();
        assertEquals(2, escaped.size());
        assertEquals(List.of(), Procs.alive(escaped));
    }

    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "setsid(1), and PR_SET_CHILD_SUBREAPER: orphans are reparented to tether (to launchd "
                    + "on macOS)")
    @Test
    void aDoubleForkedDaemonInItsOwnSessionDiesWhenTheWorktreeIsRemoved() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(dir, tetherSh(List.of("--grace", "30s"),
                "(setsid sh -c 'sleep 600 & echo $! > " + pids + "' &); echo $$ >> " + temp.resolve("leader")
                        + "; sleep 600"));
        List<Long> daemon = awaitPids(pids, 1);
        Procs.await(() -> Procs.parentOf(daemon.getFirst()) == run.pid(), DEADLINE,
                "the orphaned daemon to be reparented to tether, its subreaper");
        assertTrue(Procs.groupOf(daemon.getFirst()) != Procs.groupOf(awaitPids(temp.resolve("leader"), 1).getFirst()));
        Files.delete(dir);
        assertTornDown(run, daemon);
    }

    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "PR_SET_CHILD_SUBREAPER: orphans are reparented to tether (to launchd on macOS)")
    @Test
    void orphansThatExitAreReapedWhileTetherRuns() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--no-watch"),
                "(sleep 0.1 &); (sleep 0.1 &); (sleep 0.1 &); echo $$ > " + pids + "; sleep 600"));
        awaitPids(pids, 1);
        Procs.await(() -> Procs.zombieChildren(run.pid()).isEmpty() && Procs.childrenOf(run.pid()).size() == 2, DEADLINE,
                "tether to reap its adopted orphans (its children: the command and the sentinel)");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
    }

    @Test
    void theTreeDiesWhenTetherIsSigkilled() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("-v", "--no-watch"), tree(pids, 2)));
        List<Long> tree = awaitPids(pids, 3);
        awaitSentinelTold(run);
        long killed = System.nanoTime();
        Procs.kill(run.pid(), "KILL");
        run.awaitExit(DEADLINE);
        Procs.awaitDead(tree, DEADLINE);
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(millis < DEADLINE.toMillis(), "took " + millis + " ms");
    }

    @Test
    void theSentinelLeavesAfterACleanEndAndTouchesNothing() {
        TetherRun run = start(temp, tetherSh(List.of(), "exit 4"));
        assertEquals(4, run.awaitExit(DEADLINE));
        Procs.await(() -> Procs.withEnvironment(MARK_VARIABLE + "=" + mark).stream().noneMatch(Procs::isAlive),
                DEADLINE, "the sentinel to exit after tether's clean end");
    }

    @Test
    void thirtyWorktreesRemovedAtOnce() throws Exception {
        removeThirtyWorktreesAtOnce(List.of());
    }

    /**
     * As above, each tree in a cgroup of its own (or tether would exit 125), which each tether removes as it
     * ends.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "cgroup v2 is Linux's")
    @RequiresRoot("makes cgroups in the cgroup2 hierarchy")
    @Test
    void thirtyWorktreesRemovedAtOnceEachInACgroup() throws Exception {
        List<TetherRun> runs = removeThirtyWorktreesAtOnce(List.of("--cgroup"));
        List<Path> left = CgroupIT.childCgroups(CgroupIT.ownCgroup()).stream().filter(cgroup -> runs.stream()
                .anyMatch(run -> cgroup.getFileName().toString().startsWith("tether-" + run.pid() + "-"))).toList();
        assertEquals(List.of(), left);
    }

    /** Thirty tethers run with {@code options}, each in a worktree of its own, all removed in one rm -rf. */
    private List<TetherRun> removeThirtyWorktreesAtOnce(List<String> options) throws Exception {
        Path all = Files.createDirectory(temp.resolve("worktrees"));
        List<TetherRun> runs = new ArrayList<>();
        List<Path> pidFiles = new ArrayList<>();
        List<String> withGrace = new ArrayList<>(options);
        withGrace.addAll(List.of("--grace", "30s"));
        for (int i = 0; i < 30; i++) {
            Path dir = Files.createDirectory(all.resolve("wt" + i));
            Path pids = temp.resolve("pids" + i);
            pidFiles.add(pids);
            runs.add(start(dir, tetherSh(withGrace, tree(pids, 2))));
        }
        List<Long> trees = new ArrayList<>();
        for (Path pids : pidFiles) {
            trees.addAll(awaitPids(pids, 3));
        }
        long removed = System.nanoTime();
        run(temp, "rm", "-rf", all.toString());
        Procs.awaitDead(trees, DEADLINE);
        long millis = (System.nanoTime() - removed) / 1_000_000;
        for (TetherRun run : runs) {
            assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        }
        assertEquals(90, trees.size());
        System.out.println("30 worktrees removed" + (options.isEmpty() ? "" : " (" + String.join(" ", options) + ")")
                + ": all 90 processes dead after " + millis + " ms");
        return runs;
    }

    /** A permission error is not a removal: tether keeps running until the path is really gone. */
    @Test
    void anUnreadableParentIsNotARemoval() throws Exception {
        Path parent = Files.createDirectory(temp.resolve("parent"));
        Path dir = Files.createDirectory(parent.resolve("wt"));
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pids = Files.createDirectory(temp.resolve("pids-dir")).resolve("pids");
        run(temp, "chmod", "777", pids.getParent().toString());
        TetherRun run = start(dir, withoutPrivileges("--poll", "10ms", "--grace", "30s", "--", "sh", "-c", tree(pids, 1)));
        List<Long> tree = awaitPids(run, pids, 2);
        run(temp, "chmod", "000", parent.toString());
        try {
            assertFalse(run.process.waitFor(500, TimeUnit.MILLISECONDS), "tore down on EACCES: " + run.stderr());
            assertEquals(tree, Procs.alive(tree));
        } finally {
            run(temp, "chmod", "755", parent.toString());
        }
        Files.delete(dir);
        assertTornDown(run, tree);
    }

    @Test
    void aCommandThatClosesStdoutAndStderrIsStillSupervised() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(dir, tetherSh(List.of(), "exec >&- 2>&-; " + tree(pids, 1)));
        List<Long> tree = awaitPids(pids, 2);
        Files.delete(dir);
        assertTornDown(run, tree);
    }

    @Test
    void aCommandThatStopsItselfIsStillTornDown() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun run = start(dir, tetherSh(List.of("--grace", "30s"), "echo $$ > " + pids + "; kill -STOP $$"));
        long command = awaitPids(pids, 1).getFirst();
        Procs.await(() -> Procs.isStopped(command), DEADLINE, "the command to stop itself");
        assertFalse(run.process.waitFor(300, TimeUnit.MILLISECONDS), "a stopped command is not an exit");
        Files.delete(dir);
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertFalse(Procs.isAlive(command));
    }

    @Test
    void hugeArgumentListsAndEnvironmentsPassThrough() {
        List<String> args = new ArrayList<>(List.of("--", "sh", "-c", "echo $# ${#BIG1} ${#BIG4}", "sh"));
        for (int i = 0; i < 20_000; i++) {
            args.add("argument-" + i);
        }
        // 400 KB of environment, in variables under the kernel's limit of 128 KB for one string.
        String big = "x".repeat(100 * 1024);
        TetherRun run = start(temp, tether(args.toArray(String[]::new)), env -> {
            for (int i = 1; i <= 4; i++) {
                env.put("BIG" + i, big);
            }
        });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("20000 " + big.length() + " " + big.length() + "\n", run.stdout());
    }

    /** tether's own stdout closed: COMMAND must not inherit a file of the JVM's in its place. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "readlink of /proc/PID/fd")
    @Test
    void tethersOwnStdoutClosedGivesTheCommandDevNull() {
        // fd 3 keeps the command's original stdout while the shell redirects fd 1 around readlink.
        TetherRun run = start(temp, List.of("sh", "-c",
                "exec \"$0\" -- sh -c 'exec 3>&1; readlink /proc/$$/fd/3 >&2; true' >&-",
                LAUNCHER.toString()));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("/dev/null\n", run.stderr());
    }
}

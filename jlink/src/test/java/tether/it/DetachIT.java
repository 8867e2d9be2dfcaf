package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresTools;

/** {@code --detach} and the recipes of the README: a git hook, worktrunk's {@code [post-start]}. */
class DetachIT extends LauncherTest {

    static long sessionOf(long pid) {
        return Long.parseLong(Procs.stat(pid).split(" ")[3]);
    }

    static String fd(long pid, int fd) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "readlink of /proc/PID/fd, and the session from /proc/PID/stat")
    @Test
    void returnsOnceTheCommandRunsHoldingNoneOfTheCallersStreams() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        // `| cat` waits for every writer of the pipe: it ends only if nothing detached holds stdout.
        TetherRun run = start(dir, List.of("sh", "-c", "\"$0\" --detach -- sh -c 'echo $$ > " + pids
                + "; sleep 600' | cat; echo status:$?", LAUNCHER.toString()));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("status:0\n", run.stdout());
        long server = awaitPids(pids, 1).getFirst();
        long detached = Procs.parentOf(server);
        assertNotEquals(sessionOf(ProcessHandle.current().pid()), sessionOf(detached),
                "a new session: no terminal hangs up on it");
        assertEquals("/dev/null", fd(server, 0));
        assertEquals("/dev/null", fd(server, 1));
        Files.delete(dir);
        Procs.awaitDead(List.of(server, detached), DEADLINE);
    }

    /** The terminal that started it goes away (its emulator is killed): the detached server lives on. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "script -qfec (util-linux's options; BSD script takes others)")
    @Test
    void aTerminalHangupDoesNotReachIt() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path pids = temp.resolve("pids");
        TetherRun terminal = start(dir, List.of("script", "-qfec", LAUNCHER + " --detach -- sh -c 'echo $$ > " + pids
                + "; sleep 600'; sleep 600", "/dev/null"));
        long server = awaitPids(pids, 1).getFirst();
        Procs.kill(terminal.pid(), "KILL");
        terminal.awaitExit(DEADLINE);
        assertTrue(!terminal.process.isAlive());
        Thread.sleep(500); // a SIGHUP from the hangup would have ended it by now
        assertTrue(Procs.isAlive(server), "the hangup reached the detached server");
        Files.delete(dir);
        Procs.awaitDead(List.of(server), DEADLINE);
    }

    @Test
    void outputIsAppendedToTheLog() throws Exception {
        Path log = Files.writeString(temp.resolve("server.log"), "earlier\n");
        Path dir = Files.createDirectory(temp.resolve("wt"));
        TetherRun run = start(dir, tether("--detach", "--log", log.toString(), "--", "sh", "-c",
                "echo out; echo err >&2; sleep 600"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        Procs.await(() -> lines(log).size() == 3, DEADLINE, "the output in the log");
        assertEquals("earlier", lines(log).getFirst());
        assertTrue(lines(log).containsAll(List.of("out", "err")), lines(log).toString());
        Files.delete(dir);
    }

    @Test
    void startFailuresAreReportedByTheCallingTether() {
        TetherRun missing = start(temp, tether("--detach", "--", "tether-no-such-command"));
        assertEquals(127, missing.awaitExit(DEADLINE));
        assertEquals("tether: cannot run 'tether-no-such-command': No such file or directory\n", missing.stderr());
        TetherRun notExecutable = start(temp, tether("--detach", "--", temp.toString()));
        assertEquals(126, notExecutable.awaitExit(DEADLINE));
        TetherRun badLog = start(temp, tether("--detach", "--log", "/nonexistent/dir/log", "--", "true"));
        assertEquals(125, badLog.awaitExit(DEADLINE));
        assertTrue(badLog.stderr().startsWith("tether: cannot open the log '/nonexistent/dir/log'"), badLog.stderr());
        TetherRun logWithoutDetach = start(temp, tether("--log", "x.log", "--", "true"));
        assertEquals(125, logWithoutDetach.awaitExit(DEADLINE));
    }

    /**
     * README recipe: a post-checkout hook starts a server per new worktree and returns once it listens, on
     * whatever port it took; removal stops it.
     */
    @RequiresTools(value = "python3", why = "the server is Python's http.server")
    @Test
    void gitPostCheckoutHookRecipe() throws Exception {
        worktree("first");
        Path repo = temp.resolve("repo");
        Path hook = repo.resolve(".git/hooks/post-checkout");
        Files.writeString(hook, """
                #!/bin/sh
                [ "$1" = 0000000000000000000000000000000000000000 ] || exit 0
                exec %s --detach --log .dev-server.log --ready port -- sh -c 'echo $$ > server.pid; echo serving; \
                exec python3 -m http.server 0 --bind 127.0.0.1'
                """.formatted(LAUNCHER.toAbsolutePath()));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path worktree = temp.resolve("feature");
        TetherRun add = start(repo, List.of("sh", "-c", "git worktree add -q -b feature '" + worktree + "' | cat"));
        assertEquals(0, add.awaitExit(DEADLINE), add.stderr());
        Matcher ready = Pattern.compile("tether: INFO: ready after [0-9.]+m?s: port ([0-9]+) listening\n").matcher(add.stderr());
        assertTrue(ready.find(), add.stderr());
        assertTrue(ReadyIT.answers(Integer.parseInt(ready.group(1))), "the hook returned before the server listened");
        long server = awaitPids(worktree.resolve("server.pid"), 1).getFirst();
        Procs.await(() -> lines(worktree.resolve(".dev-server.log")).contains("serving"), DEADLINE, "the log");
        run(repo, "git", "worktree", "remove", "--force", worktree.toString());
        Procs.awaitDead(List.of(server), DEADLINE);
    }

    /**
     * README recipe: worktrunk runs the steps of a {@code [[post-start]]} pipeline in order and stops at the first
     * that fails. The server's step returns once it listens, so the next step finds it answering; a server that
     * cannot take its port fails its step, and the next does not run.
     */
    @RequiresTools(value = "python3", why = "the server and the next step are Python")
    @Test
    void worktrunkPipelineRunsTheNextStepOnceTheServerIsReady() throws Exception {
        Path worktree = worktree("agent");
        Path server = Files.writeString(temp.resolve("later.py"), ReadyIT.LISTEN_LATER);
        int port = ReadyIT.freePort();
        String step1 = LAUNCHER.toAbsolutePath() + " --detach --log .dev-server.log --ready port:" + port
                + " -- python3 " + server + " " + port + " 1";
        String step2 = "python3 -c 'import urllib.request; print(urllib.request.urlopen(\"http://127.0.0.1:" + port
                + "/\").status)' > e2e.txt";
        TetherRun pipeline = start(worktree, List.of("sh", "-c", step1 + " && " + step2));
        assertEquals(0, pipeline.awaitExit(DEADLINE), pipeline.stderr());
        assertEquals(List.of("200"), lines(worktree.resolve("e2e.txt")));

        Path second = worktree("agent-2");
        TetherRun taken = start(second, List.of("sh", "-c", step1 + " && " + step2));
        assertEquals(1, taken.awaitExit(DEADLINE), "python's status for a port in use; " + taken.stderr());
        assertTrue(taken.stderr().contains("Address already in use"), taken.stderr());
        assertFalse(Files.exists(second.resolve("e2e.txt")), "the pipeline stopped at the failed step");
        run(temp.resolve("repo"), "git", "worktree", "remove", "--force", worktree.toString());
        Procs.await(() -> !ReadyIT.answers(port), DEADLINE, "the server to go with its worktree");
    }

    /**
     * README recipe: worktrunk's background hook runner runs the expanded {@code [post-start]} line with
     * {@code sh -c} in the worktree, in its own process group, stdin a pipe it writes and closes, output
     * to a log file, and may itself be gone long before the server is.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "setsid(1)")
    @Test
    void worktrunkPostStartLine() throws Exception {
        Path worktree = worktree("agent");
        Path log = temp.resolve("hook.log");
        String line = LAUNCHER.toAbsolutePath() + " -- sh -c 'echo $$ > server.pid; cat > stdin.txt; sleep 600'";
        TetherRun runner = start(worktree, List.of("sh", "-c",
                "printf 'context from worktrunk\\n' | setsid sh -c \"$0\" > " + log + " 2>&1 & exit 0", line));
        assertEquals(0, runner.awaitExit(DEADLINE), "the runner returns at once");
        long server = awaitPids(worktree.resolve("server.pid"), 1).getFirst();
        Procs.await(() -> lines(worktree.resolve("stdin.txt")).equals(List.of("context from worktrunk")), DEADLINE,
                "the server to read its stdin");
        run(temp.resolve("repo"), "git", "worktree", "remove", "--force", worktree.toString());
        Procs.awaitDead(List.of(server), DEADLINE);
        assertEquals("", Files.readString(log));
    }
}

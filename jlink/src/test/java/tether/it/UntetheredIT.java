package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.testkit.RequiresTools;

/**
 * docs/usage.md "Everything still living in a worktree": {@code --list --all} and {@code --stop --all} against
 * processes nobody tethered, started by hand in a git worktree (each in a session of its own, as a hook or an
 * agent leaves them), and against what they must never touch. Every query names this test's worktree, so
 * what other tests run at the same time is never counted or ended.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "--all reads /proc here; the macOS and Windows readers are unit-tested")
class UntetheredIT extends LauncherTest {

    /** What python3 is for here: {@link #membersOf} reads the JSON with a parser that is not tether's own. */
    static final String READS_JSON = "reads --list --all --json with Python's JSON parser";

    /** A server on a free port that writes the port to its first argument once it listens. */
    static final String SERVER = "import socket, sys, time\n"
            + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
            + "open(sys.argv[1] + '.part', 'w').write(str(s.getsockname()[1]))\n"
            + "import os; os.rename(sys.argv[1] + '.part', sys.argv[1]); time.sleep(600)\n";

    /** One process of {@code --list --all --json}'s trees, as Python's JSON parser read it; null is "None". */
    record Member(long pid, long root, String why, String kept, boolean deleted, String marker, String ports) {}

    /** Started by hand in {@code directory}, in a session of its own, carrying the test's mark; its pid. */
    long byHand(Path directory, String... command) {
        TetherRun run = start(directory, List.of(command));
        Procs.await(() -> !Procs.cmdline(run.pid()).isEmpty() && !Procs.cmdline(run.pid()).startsWith("setsid"),
                DEADLINE, "the program to start");
        return run.pid();
    }

    /** {@code tether ARGS} run in {@code directory}, without a terminal. */
    Commands query(Path directory, String... args) {
        return Commands.run(directory, withoutTerminal(tether(args)));
    }

    /** The members of every tree {@code --list --all --json PATH} shows, in {@code directory}. */
    List<Member> members(Path directory, String path) {
        Path out = temp.resolve("all.json");
        Commands listed = Commands.run(directory, List.of("sh", "-c", "\"$@\" > " + out, "sh",
                LAUNCHER.toAbsolutePath().toString(), "--list", "--all", "--json", path));
        assertEquals(0, listed.status(), listed.output());
        return membersOf(out);
    }

    static Member member(List<Member> members, long pid) {
        return members.stream().filter(m -> m.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError(pid + " not among " + members));
    }

    @RequiresTools(value = "python3", why = READS_JSON + ", and serves a TCP port")
    @Test
    void aSleepAndAServerStartedByHandAreListedAndEnded() throws Exception {
        Path worktree = worktree("by-hand");
        Files.writeString(temp.resolve("server.py"), SERVER);
        long sleeper = byHand(worktree, "sleep", "600");
        long server = byHand(worktree, "python3", temp.resolve("server.py").toString(), temp.resolve("port").toString());
        Procs.await(() -> Files.exists(temp.resolve("port")), DEADLINE, "the server to listen");
        String port = Files.readString(temp.resolve("port"));

        List<Member> found = members(worktree, ".");
        assertEquals("cwd", member(found, sleeper).why());
        assertEquals("None", member(found, sleeper).kept());
        assertEquals("[" + port + "]", member(found, server).ports());

        Commands table = query(worktree, "--list", "--all");
        assertEquals(0, table.status(), table.output());
        assertTrue(table.output().lines().anyMatch(line -> line.matches(" *" + server + " +\\. +\\S*pyth.* 1 +\\d+[KM] +"
                + port + " +\\d+s +cwd")), table.output());

        Commands stop = query(worktree, "--stop", "--all");
        assertEquals(0, stop.status(), stop.output());
        assertTrue(stop.output().contains("ended " + sleeper + " (sleep 600 in .)"), stop.output());
        assertTrue(stop.output().lines().anyMatch(line -> line.matches("ended " + server + " \\(\\S*pyth.* in \\.\\)")),
                stop.output());
        assertEquals(List.of(), Procs.alive(List.of(sleeper, server)));
        assertEquals("", query(worktree, "--stop", "--all").output(), "nothing left, nothing said");
    }

    @RequiresTools(value = "python3", why = READS_JSON)
    @Test
    void afterTheWorktreeIsRemovedItsProcessesAreFoundWhereTheyWere() throws Exception {
        Path worktree = worktree("removed");
        Path sub = Files.createDirectory(worktree.resolve("web"));
        long sleeper = byHand(sub, "sleep", "600");
        run(temp, "rm", "-rf", worktree.toString());

        Member found = member(members(temp, worktree.toString()), sleeper);
        assertEquals("deleted-cwd", found.why());
        assertTrue(found.deleted());
        Commands stop = query(temp, "--stop", "--all", worktree.toString());
        assertEquals(0, stop.status(), stop.output());
        assertTrue(stop.output().startsWith("ended " + sleeper + " (sleep 600 in "), stop.output());
        assertEquals(List.of(), Procs.alive(List.of(sleeper)));
    }

    /**
     * COMMAND carries its tether's marker, as --list --json names it; a process that inherited it and left the
     * worktree (an agent's shell that cd'd away) is found by it, and ended with the tether.
     */
    @RequiresTools(value = "python3", why = READS_JSON)
    @Test
    void aProcessThatLeftTheWorktreeIsFoundByItsMarker() throws Exception {
        Path worktree = worktree("marked");
        Path pids = temp.resolve("pids");
        TetherRun tether = start(worktree, tetherSh(List.of(), "echo $$ > " + pids + "; sleep 600"));
        long command = awaitPids(tether, pids, 1).getFirst();
        Commands listed = query(worktree, "--list", "--json", ".");
        String marker = listed.output().replaceFirst("(?s).*\"marker\": \"([^\"]*)\".*", "$1");
        assertEquals(tether.pid() + ":" + worktree.toRealPath(), marker, listed.output());
        assertTrue(new String(Files.readAllBytes(Path.of("/proc/" + command + "/environ")), UTF_8)
                .contains("\0TETHER_TREE=" + marker + "\0"), "COMMAND's environment holds the marker");

        TetherRun agent = start(worktree, List.of("sh", "-c", "cd / && exec sleep 600"),
                env -> env.put("TETHER_TREE", marker));
        Procs.await(() -> Procs.cmdline(agent.pid()).equals("sleep 600"), DEADLINE, "the shell to leave the worktree");
        Member found = member(members(temp, worktree.toString()), agent.pid());
        assertEquals("marker", found.why());
        assertEquals(marker, found.marker());
        assertTrue(members(temp, worktree.toString()).stream().noneMatch(m -> m.pid() == command),
                "what the running tether holds is its own");

        Commands stop = query(temp, "--stop", "--all", worktree.toString());
        assertEquals(0, stop.status(), stop.output());
        List<String> lines = stop.output().lines().toList();
        assertEquals("ended " + agent.pid() + " (sleep 600 in /)", lines.getFirst(), "first what no tether holds");
        assertTrue(lines.get(1).startsWith("stopped " + tether.pid() + " "), "then the tethers: " + stop.output());
        assertEquals(143, tether.awaitExit(DEADLINE), tether.stderr());
        assertEquals(List.of(), Procs.alive(List.of(agent.pid(), command)));
    }

    /**
     * The shell that runs tether in the worktree (a hook's, a person's) and an interactive shell in the
     * foreground of a terminal there are listed as kept and survive; the background job that shell left is not.
     */
    @RequiresTools(value = {"script", "python3"}, why = READS_JSON + ", and script(1) gives a shell a terminal")
    @Test
    void theCallersShellAndAForegroundShellOnATerminalAreKept() throws Exception {
        Path worktree = worktree("kept");
        // exec: script(1) runs its command with $SHELL -c, or sh -c where SHELL is unset (as in CI's clean
        // environment), and dash forks rather than execs a last command, which would put an sh -c between.
        TetherRun terminal = start(worktree, List.of("script", "-qfec", "exec sh -i", "/dev/null"));
        Procs.await(() -> Procs.childrenOf(terminal.pid()).size() == 1, DEADLINE, "the interactive shell");
        long interactive = Procs.childrenOf(terminal.pid()).getFirst();
        Procs.await(() -> Procs.foregroundGroupOf(interactive) == Procs.groupOf(interactive), DEADLINE,
                "the shell to hold its terminal's foreground");
        long job = byHand(worktree, "sleep", "600");

        Path json = temp.resolve("caller.json");
        Commands caller = Commands.run(worktree, withoutTerminal(List.of("sh", "-c", "echo $$; \"$0\" --list --all --json"
                + " > " + json + "; \"$0\" --stop --all; echo status $?; echo survived", LAUNCHER.toAbsolutePath().toString())));
        long callerPid = Long.parseLong(caller.output().lines().findFirst().orElseThrow().strip());
        assertTrue(caller.output().contains("ended " + job + " (sleep 600 in .)"), caller.output());
        assertTrue(caller.output().contains("status 0\nsurvived"), caller.output());

        List<Member> listed = membersOf(json);
        assertEquals("caller", member(listed, callerPid).kept());
        assertEquals("terminal", member(listed, interactive).kept());
        assertEquals("terminal", member(listed, terminal.pid()).kept(), "script(1), which holds the terminal");
        assertEquals("None", member(listed, job).kept());
        assertTrue(Procs.isAlive(interactive) && Procs.isAlive(terminal.pid()));
        assertFalse(Procs.isAlive(job));
    }

    /** A PID names any process, which is ended with its descendants; the root and the home directory are refused. */
    @Test
    void aNamedPidIsEndedAndTheRootIsRefused() throws Exception {
        long elsewhere = byHand(temp, "sh", "-c", "sleep 600 & wait");
        Procs.await(() -> Procs.childrenOf(elsewhere).size() == 1, DEADLINE, "the shell's sleep");
        long sleeper = Procs.childrenOf(elsewhere).getFirst();
        Commands named = query(temp, "--stop", "--all", String.valueOf(elsewhere), "4194305");
        assertEquals(1, named.status(), named.output());
        assertTrue(named.output().contains("ended " + elsewhere + " (sh -c 'sleep 600 & wait' in ., 2 processes)"),
                named.output());
        assertTrue(named.output().contains("tether: no process has pid 4194305"), named.output());
        assertEquals(List.of(), Procs.alive(List.of(elsewhere, sleeper)));

        Commands root = query(temp, "--stop", "--all", "/");
        assertEquals(125, root.status(), root.output());
        assertEquals("tether: will not end every process in '/': it holds the home directory (name a worktree)\n",
                root.output());
    }

    /** Root included, --all never lists or ends another user's process. */
    @RequiresRoot("starts a process as a second user, nobody, with setpriv")
    @RequiresTools(value = "python3", why = READS_JSON)
    @Test
    void anotherUsersProcessSurvives() throws Exception {
        Path shared = Files.createDirectory(Path.of("/tmp").resolve("tether-it-" + mark));
        try {
            run(temp, "chmod", "777", shared.toString());
            long nobodys = byHand(shared, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sleep", "600");
            Procs.await(() -> Procs.realUid(nobodys) == 65534 && Procs.cmdline(nobodys).equals("sleep 600"), DEADLINE,
                    "the other user's sleep");
            long roots = byHand(shared, "sleep", "600");
            assertEquals(List.of(roots), members(shared, ".").stream().filter(m -> m.kept().equals("None"))
                    .map(Member::pid).toList(), "root's sleep only; the shell running tether is kept");
            Commands stop = query(shared, "--stop", "--all");
            assertEquals(0, stop.status(), stop.output());
            assertFalse(Procs.isAlive(roots));
            assertTrue(Procs.holdsFor(() -> Procs.isAlive(nobodys), Duration.ofMillis(200)), "nobody's sleep survives");
        } finally {
            run(temp, "rm", "-rf", shared.toString());
        }
    }

    /**
     * tether SIGKILLed: its sentinel ends the escapee that left the group, found by its marker, but only at the
     * grace deadline, 60 s here, for one that ignores SIGTERM. Meanwhile --all finds it by that marker, though it
     * lives in / and its parent is gone, and ends it at once.
     */
    @RequiresTools(value = "python3", why = READS_JSON)
    @Test
    void anEscapeeOfAKilledTetherIsFoundByItsMarker() throws Exception {
        Path worktree = worktree("killed");
        Path pids = temp.resolve("pids");
        TetherRun tether = start(worktree, tetherSh(List.of("--grace", "60s"), "setsid sh -c 'trap \"\" TERM; cd /;"
                + " echo $$ > " + pids + "; exec sleep 600' & wait"));
        long escapee = awaitPids(tether, pids, 1).getFirst();
        Procs.kill(tether.pid(), "KILL");
        tether.awaitExit(DEADLINE);
        assertTrue(Procs.holdsFor(() -> Procs.isAlive(escapee), Duration.ofMillis(300)),
                "the escapee ignores the sentinel's SIGTERM");

        Member found = member(members(temp, worktree.toString()), escapee);
        assertEquals("marker", found.why());
        assertTrue(found.marker().startsWith(tether.pid() + ":"), found.marker());
        Commands stop = query(temp, "--stop", "--all", "--grace", "200ms", worktree.toString());
        assertEquals(0, stop.status(), stop.output());
        assertTrue(stop.output().contains("ended " + escapee + " (sleep 600 in /)"), stop.output());
        assertEquals(List.of(), Procs.alive(List.of(escapee)));
    }

    /** The sentinel of a SIGKILLed tether ends the escapees that carry its marker, not only the group. */
    @Test
    void theSentinelEndsMarkedEscapeesOfAKilledTether() {
        Path pids = temp.resolve("pids");
        TetherRun tether = start(temp, tetherSh(List.of("--no-watch"), "setsid sh -c 'cd /; echo $$ >> " + pids
                + "; exec sleep 600' & echo $$ >> " + pids + "; wait"));
        List<Long> tree = awaitPids(tether, pids, 2);
        Procs.kill(tether.pid(), "KILL");
        tether.awaitExit(DEADLINE);
        Procs.awaitDead(tree, DEADLINE);
    }

    private static List<Member> membersOf(Path json) {
        Commands parsed = Commands.run(json.getParent(), List.of("python3", "-c", "import json, sys\n"
                + "for g in json.load(open(sys.argv[1], encoding='utf-8'))['untethered']:\n"
                + "    for m in g['members']:\n"
                + "        print('\\t'.join(map(str, [m['pid'], g['pid'], m['why'], g['kept'], m['cwd_deleted'],"
                + " m['marker'], m['ports']])))", json.toString()));
        assertEquals(0, parsed.status(), parsed.output());
        return Stream.of(parsed.output().split("\n")).filter(line -> !line.isBlank()).map(line -> {
            String[] f = line.split("\t");
            return new Member(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], f[3], f[4].equals("True"), f[5], f[6]);
        }).toList();
    }
}

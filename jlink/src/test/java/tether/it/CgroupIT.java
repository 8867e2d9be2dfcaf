package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.testkit.RequiresTools;

/**
 * The tree in a cgroup of its own ({@code --cgroup}): what the process group and the subreaper cannot hold is
 * held. Root makes cgroups in the cgroup2 hierarchy here; an ordinary user is given a subtree of it the way
 * systemd delegates one. Every test checks that the cgroups tether made are gone at the end.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "cgroup v2 is Linux's")
@RequiresRoot("makes cgroups in the cgroup2 hierarchy, or delegates a subtree of it to nobody")
class CgroupIT extends LauncherTest {

    static final Pattern HELD = Pattern.compile("tether: INFO: the tree is held in cgroup (\\S+)");

    /** Subtrees a test delegated, removed after it (empty by then: every tether cgroup in them is gone). */
    private final List<Path> delegated = new ArrayList<>();

    @AfterEach
    void removeDelegatedSubtrees() throws IOException {
        for (Path subtree : delegated) {
            Procs.await(() -> !Files.exists(subtree) || childCgroups(subtree).isEmpty(), DEADLINE,
                    () -> "the cgroups inside " + subtree + " to be removed: " + childCgroups(subtree));
            Files.deleteIfExists(subtree);
        }
    }

    /** The cgroup2 file system's directory of this JVM's own cgroup, where tether's cgroups go as root. */
    static Path ownCgroup() throws IOException {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(line -> line.startsWith("0::"))
                .findFirst().orElseThrow().substring(3);
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields[dash + 1].equals("cgroup2") && (own + "/").startsWith(fields[3].equals("/") ? "/" : fields[3] + "/")) {
                return Path.of(fields[4] + own.substring(fields[3].equals("/") ? 0 : fields[3].length()));
            }
        }
        throw new AssertionError("no cgroup2 mount holds " + own);
    }

    static List<Path> childCgroups(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The cgroup tether said (with -v) it holds the tree in. */
    static Path heldIn(TetherRun run) {
        Procs.await(() -> HELD.matcher(run.stderr()).find(), DEADLINE, () -> "tether to say its cgroup: " + run.stderr());
        Matcher matcher = HELD.matcher(run.stderr());
        assertTrue(matcher.find());
        return Path.of(matcher.group(1));
    }

    static String cgroupOf(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
                    .filter(line -> line.startsWith("0::")).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A tree with a process that left the group and session (setsid), a double-forked daemon in a session of
     * its own, and a plain child: all in the cgroup from birth, all dead soon after tether is SIGKILLed
     * (they obey SIGTERM, so well within the grace), and the sentinel removes the cgroup.
     */
    @Test
    void escapeesAndDaemonsDieWithTheCgroupWhenTetherIsSigkilled() throws IOException {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("-v", "--cgroup", "--no-watch", "--grace", "5s"),
                "setsid sleep 600 & echo $! >> " + pids + "; (setsid sh -c 'sleep 600 & echo $! >> " + pids + "' &); "
                        + "sleep 600 & echo $! >> " + pids + "; wait"));
        List<Long> tree = awaitPids(run, pids, 3);
        Path cgroup = heldIn(run);
        assertEquals(ownCgroup(), cgroup.getParent());
        for (long pid : tree) {
            assertTrue(cgroupOf(pid).endsWith("/" + cgroup.getFileName()), pid + " in tether's cgroup: " + cgroupOf(pid));
        }
        awaitSentinelTold(run);
        long killed = System.nanoTime();
        Procs.kill(run.pid(), "KILL");
        Procs.awaitDead(tree, DEADLINE);
        long millis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(millis < 5000, "the first signal, not the kill at the grace deadline, ended them: " + millis + " ms");
        Procs.await(() -> !Files.exists(cgroup), DEADLINE, "the sentinel to remove " + cgroup);
    }

    /**
     * A tree that forks in a tight loop and ignores SIGTERM: at the grace deadline one cgroup.kill ends all of
     * it, and the cgroup is empty and removed when tether exits.
     */
    @Test
    void aTreeForkingInATightLoopEndsWithOneKill() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("-v", "--cgroup", "--no-watch", "--grace", "500ms"),
                "trap '' TERM; echo $$ > " + pids + "; i=0; while :; do if [ $i -lt 200 ]; then sleep 600 & "
                        + "else true & fi; i=$((i+1)); done"));
        long loop = awaitPids(run, pids, 1).getFirst();
        Path cgroup = heldIn(run);
        Procs.await(() -> procs(cgroup).size() > 100, DEADLINE, "the loop to fork");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        assertTrue(run.stderr().matches("(?s).*SIGKILL after 500(\\.0)?ms reached \\d+ process\\(es\\).*"), run.stderr());
        assertFalse(Procs.isAlive(loop));
        assertFalse(Files.exists(cgroup), "removed once empty");
        assertEquals(List.of(), markedAlive());
    }

    /**
     * Whether every thread of the process is stopped: a group stop reaches each thread in turn, and the main
     * thread's state alone would leave the others a moment to act.
     */
    static boolean everyThreadStopped(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.allMatch(task -> Procs.isStopped(Long.parseLong(task.getFileName().toString())));
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> procs(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * tether SIGKILLed by COMMAND itself, its first act, 200 times, each COMMAND then starting an escapee and a
     * child, all three ignoring SIGTERM: nothing is left, because the sentinel knew the cgroup before COMMAND
     * existed, and its cgroup.kill at the grace deadline ends what SIGTERM did not. The tethers run inside one
     * outer tether, whose subreaping takes the killed ones' orphans, so that none is left to init; their
     * cgroups are inside its cgroup, and each is removed only once empty.
     */
    @Test
    void tetherKilledAsCommandStartsLeavesNothing200Times() throws IOException {
        Path pids = temp.resolve("pids");
        Path finished = temp.resolve("finished");
        String inner = LAUNCHER.toAbsolutePath() + " --cgroup --no-watch --grace 1s -- sh -c "
                + quoted("trap '' TERM; kill -9 $PPID; setsid sleep 600 & echo $! >> " + pids + "; sleep 600 & echo $! >> "
                        + pids + "; wait");
        TetherRun outer = start(temp, tetherSh(List.of("-v", "--cgroup", "--no-watch"),
                "b=0; while [ $b -lt 25 ]; do for j in 1 2 3 4 5 6 7 8; do " + inner + " & done; wait; b=$((b+1)); "
                        + "done; echo done > " + finished + "; sleep 600"));
        Path cgroup = heldIn(outer);
        Procs.await(() -> Files.exists(finished), Duration.ofMinutes(3), "200 tethers to be started and killed");
        Procs.await(() -> childCgroups(cgroup).isEmpty(), DEADLINE,
                () -> "the sentinels to remove the 200 tethers' cgroups: " + childCgroups(cgroup));
        List<Long> started = lines(pids).stream().map(Long::parseLong).toList();
        assertTrue(started.size() > 0, "the COMMANDs started processes after their tether was killed");
        assertEquals(List.of(), Procs.alive(started), "ended by the sentinels, before the outer tether ends");
        Procs.kill(outer.pid(), "TERM");
        assertEquals(143, outer.awaitExit(DEADLINE), outer.stderr());
        assertEquals(List.of(), markedAlive());
        assertFalse(Files.exists(cgroup));
    }

    /**
     * An ordinary user (nobody) in a subtree delegated the way systemd delegates one: the directory and its
     * cgroup.procs, cgroup.subtree_control and cgroup.threads are nobody's. tether, run as nobody in it, makes
     * the tree's cgroup there; escapees die when it ends and when it is SIGKILLed, and its cgroups are removed.
     */
    @Test
    void aSubtreeDelegatedToAnOrdinaryUserHoldsTheTree() throws IOException {
        Path subtree = Files.createDirectory(ownCgroup().resolve("delegated-" + UUID.randomUUID()));
        delegated.add(subtree);
        for (String file : List.of(".", "cgroup.procs", "cgroup.subtree_control", "cgroup.threads")) {
            run(temp, "chown", "65534:65534", subtree.resolve(file).toString());
        }
        Path shared = Files.createDirectories(temp.resolve("nobody"));
        run(temp, "chmod", "777", shared.toString());
        run(temp, "chmod", "755", temp.toString());
        Path launcher = imageOtherUsersCanRun().resolve("tether/bin/tether");

        for (String end : List.of("TERM", "KILL")) {
            Path pids = shared.resolve("pids-" + end);
            String tree = "setsid sleep 600 & echo $! >> " + pids + "; (setsid sh -c 'sleep 600 & echo $! >> " + pids
                    + "' &); sleep 600 & echo $! >> " + pids + "; wait";
            TetherRun run = start(shared, List.of("sh", "-c", "echo $$ > " + subtree.resolve("cgroup.procs")
                    + " && exec setpriv --reuid=65534 --regid=65534 --clear-groups " + launcher
                    + " -v --cgroup --no-watch --grace 5s -- sh -c " + quoted(tree)));
            List<Long> pidsOfTree = awaitPids(run, pids, 3);
            Path cgroup = heldIn(run);
            assertEquals(subtree, cgroup.getParent(), run.stderr());
            for (long pid : pidsOfTree) {
                assertTrue(cgroupOf(pid).endsWith("/" + subtree.getFileName() + "/" + cgroup.getFileName()),
                        pid + ": " + cgroupOf(pid));
            }
            awaitSentinelTold(run);
            Procs.kill(run.pid(), end);
            if (end.equals("TERM")) {
                assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
            }
            Procs.awaitDead(pidsOfTree, DEADLINE);
            Procs.await(() -> !Files.exists(cgroup), DEADLINE, "tether or its sentinel, as nobody, to remove " + cgroup);
        }
    }

    /**
     * {@code --list} and {@code --list --json} say which tree is held in a cgroup: the one started with
     * {@code --cgroup} by the directory it said with {@code -v} ("yes" in the table), the one with
     * {@code --no-cgroup} by null ("-"). Both watch a directory of this test's own, so that other tethers on the
     * machine are never listed.
     */
    @Test
    @RequiresTools(value = "python3", why = "reads --list --json with Python's own JSON parser")
    void listSaysWhichTreeIsHeldInACgroup() throws IOException {
        Path held = Files.createDirectory(temp.resolve("held"));
        Path alone = Files.createDirectory(temp.resolve("alone"));
        TetherRun inCgroup = start(held, tether("-v", "--cgroup", "--", "sleep", "600"));
        TetherRun byGroup = start(alone, tether("-v", "--no-cgroup", "--", "sleep", "600"));
        Path cgroup = heldIn(inCgroup);
        awaitSentinelTold(byGroup);

        Commands json = Commands.run(temp, List.of("sh", "-c", "\"$@\" > json && python3 -c '"
                + "import json\n"
                + "for t in json.load(open(\"json\", encoding=\"utf-8\")):\n"
                + "    print(t[\"pid\"], t[\"cgroup\"])'", "sh", LAUNCHER.toAbsolutePath().toString(), "--list", "--json",
                temp.toString()));
        assertEquals(0, json.status(), json.output());
        assertEquals(List.of(inCgroup.pid() + " " + cgroup, byGroup.pid() + " None"), json.output().lines().toList());

        Commands table = Commands.run(temp, withoutTerminal(tether("--list", temp.toString())));
        assertEquals(0, table.status(), table.output());
        List<String> lines = table.output().lines().toList();
        assertTrue(lines.getFirst().matches(" *PID +WATCH +COMMAND +PROCS +MEM +CGROUP +PORTS +UP"), table.output());
        assertTrue(lines.get(1).matches(" *" + inCgroup.pid() + " +\\S+ +sleep 600 +1 +\\d+[KM] +yes +- +\\d+s"), table.output());
        assertTrue(lines.get(2).matches(" *" + byGroup.pid() + " +\\S+ +sleep 600 +1 +\\d+[KM] +- +- +\\d+s"), table.output());

        for (TetherRun run : List.of(inCgroup, byGroup)) {
            Procs.kill(run.pid(), "TERM");
            assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        }
        assertFalse(Files.exists(cgroup), "removed once empty");
    }

    /**
     * A tether and its sentinel both SIGKILLed (a whole session killed at once) leave the tree in its cgroup,
     * with no one to end it. {@code --list --all} finds the process that lives in the worktree by its directory,
     * and with it, by the cgroup, one that replaced its environment, left for / and lost its ancestry, which
     * neither directory nor marker would find; {@code --stop --all} ends both and removes the cgroup.
     */
    @Test
    @RequiresTools(value = "python3", why = "reads --list --all --json with Python's own JSON parser")
    void aTreeWhoseTetherAndSentinelWereKilledIsFoundWholeByItsCgroup() throws IOException {
        Path worktree = Files.createDirectory(temp.resolve("shop"));
        Path escapeeFile = temp.resolve("escapee");
        Path commandFile = temp.resolve("command");
        TetherRun run = start(worktree, tetherSh(List.of("-v", "--cgroup", "--no-watch"),
                "(cd / && exec setsid env -i /bin/sh -c 'echo $$ > " + escapeeFile + "; exec sleep 600' &); "
                        + "echo $$ > " + commandFile + "; exec sleep 600"));
        Path cgroup = heldIn(run);
        try {
            long escapee = awaitPids(run, escapeeFile, 1).getFirst();
            long command = awaitPids(run, commandFile, 1).getFirst();
            awaitSentinelTold(run);
            long sentinel = Procs.childrenOf(run.pid()).stream()
                    .filter(child -> Procs.cmdline(child).equals("/bin/sh -c eval \"$TETHER_SENTINEL_SCRIPT\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("no sentinel among " + Procs.childrenOf(run.pid())));
            // Tether is stopped first, every thread of it, so that it cannot start a sentinel to replace the
            // one killed (as it would, and that one would then end the tree on tether's death): both die
            // together, as in a killed session.
            Procs.kill(run.pid(), "STOP");
            Procs.await(() -> everyThreadStopped(run.pid()), DEADLINE, "every thread of tether to be stopped");
            Procs.kill(sentinel, "KILL");
            Procs.kill(run.pid(), "KILL");
            run.awaitExit(DEADLINE);
            assertTrue(Procs.holdsFor(() -> Procs.isAlive(command) && Procs.isAlive(escapee), Duration.ofMillis(300)),
                    "nothing ends the tree now");

            Path json = temp.resolve("all.json");
            Commands listed = Commands.run(temp, List.of("sh", "-c", "\"$@\" > " + json + " && python3 -c '"
                    + "import json, sys\n"
                    + "for g in json.load(open(sys.argv[1], encoding=\"utf-8\"))[\"untethered\"]:\n"
                    + "    for m in g[\"members\"]:\n"
                    + "        print(m[\"pid\"], m[\"why\"], m[\"cgroup\"])' " + json, "sh",
                    LAUNCHER.toAbsolutePath().toString(), "--list", "--all", "--json", worktree.toString()));
            assertEquals(0, listed.status(), listed.output());
            assertEquals(2, listed.output().lines().count(), listed.output());
            assertEquals(java.util.Set.of(command + " cwd " + cgroup, escapee + " cgroup " + cgroup),
                    java.util.Set.copyOf(listed.output().lines().toList()));

            Commands stop = Commands.run(temp, withoutTerminal(tether("--stop", "--all", "--grace", "200ms",
                    worktree.toString())));
            assertEquals(0, stop.status(), stop.output());
            assertTrue(stop.output().contains("ended " + command + " (sleep 600 in "), stop.output());
            assertTrue(stop.output().contains("ended " + escapee + " (sleep 600 in /)"), stop.output());
            Procs.awaitDead(List.of(command, escapee), DEADLINE);
            assertFalse(Files.exists(cgroup), "removed once emptied, as its tether would have");
        } finally {
            if (Files.exists(cgroup)) {
                Files.writeString(cgroup.resolve("cgroup.kill"), "1");
                Procs.await(() -> procs(cgroup).isEmpty(), DEADLINE, "the cgroup's processes to end");
                Files.deleteIfExists(cgroup);
            }
        }
    }

    /** A cgroup asked for that cannot be had is tether's failure, said in one line; --no-cgroup runs as before. */
    @Test
    void aRequiredCgroupThatCannotBeHadIsAFailure() {
        TetherRun refused = start(temp, withoutPrivileges("--cgroup", "--no-watch", "--", "true"));
        assertEquals(125, refused.awaitExit(DEADLINE));
        assertTrue(refused.stderr().startsWith("tether: cannot hold the tree in a cgroup: "), refused.stderr());
        assertEquals(1, refused.stderr().lines().count(), refused.stderr());

        TetherRun without = start(temp, withoutPrivileges("-v", "--no-cgroup", "--no-watch", "--", "true"));
        assertEquals(0, without.awaitExit(DEADLINE), without.stderr());
        assertFalse(without.stderr().contains("cgroup"), without.stderr());
    }
}

package tether.unix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.io.TempDir;
import tether.api.ExitStatus;
import tether.api.ProcessTree;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Supervision;
import tether.api.Teardown;
import tether.api.TreeSignal;
import tether.testkit.Procs;

/** The provider against real processes, in this JVM, with the running system's own calls and constants. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class UnixProcessTreeKillerTest {

    final UnixProcessTreeKiller killer = new UnixProcessTreeKiller();
    final List<ProcessTree> started = new ArrayList<>();
    final List<Integer> stopRequests = new ArrayList<>();
    final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What the provider tells the test, kept for assertions. */
    final Supervision supervision = new Supervision() {
        @Override
        public void stopRequested(int signal) {
            stopRequests.add(signal);
        }

        @Override
        public void warn(String message) {
            warnings.add(message);
        }
    };

    @TempDir
    Path temp;

    @AfterEach
    void killLeftovers() {
        for (ProcessTree tree : started) {
            tree.members().signal(TreeSignal.KILL);
            tree.release();
        }
    }

    ProcessTree spawn(Path directory, String... command) throws SpawnException {
        List<byte[]> environment = System.getenv().entrySet().stream()
                .map(e -> (e.getKey() + "=" + e.getValue()).getBytes(UTF_8)).toList();
        ProcessTree tree = killer.spawn(new SpawnRequest(
                java.util.Arrays.stream(command).map(s -> s.getBytes(UTF_8)).toList(),
                directory == null ? null : directory.toString().getBytes(UTF_8), environment,
                TreeSignal.TERM, Duration.ofSeconds(1), 1), supervision);
        started.add(tree);
        return tree;
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        Procs.await(condition, Duration.ofSeconds(10), what);
    }

    @Test
    void supportedHereWithoutLoadingNatives() {
        assertTrue(killer.isSupported());
        assertEquals("unix", killer.name());
    }

    @Test
    void theCommandLeadsANewProcessGroup() throws Exception {
        ProcessTree tree = spawn(null, "sleep", "600");
        assertEquals(tree.pid(), Procs.groupOf(tree.pid()));
        assertEquals(1, tree.members().count());
    }

    @Test
    void exitIsObservedWithoutReapingSoThePidStaysReserved() throws Exception {
        ProcessTree tree = spawn(null, "sh", "-c", "exit 7");
        assertEquals(ExitStatus.exited(7), tree.awaitExit());
        long self = ProcessHandle.current().pid();
        assertTrue(Procs.zombieChildren(self).contains(tree.pid()), "a zombie until release");
        assertEquals(0, tree.members().count());
        tree.release();
        started.remove(tree);
        awaitTrue(() -> !Procs.zombieChildren(self).contains(tree.pid()), "the reaped leader to vanish");
    }

    /** The leader's zombie, there since before the scan, is no exit during it: the scan proves the tree empty. */
    @Test
    void aLeaderThatExitedBeforeTheScanLeavesItProofOfAnEmptyTree() throws Exception {
        ProcessTree tree = spawn(null, "sh", "-c", "exit 0");
        tree.awaitExit();
        tether.api.Members members = tree.members();
        assertEquals(0, members.count());
        assertTrue(members.provesEmpty());
        assertEquals(null, members.unread());
    }

    @Test
    void deathBySignalIsReportedAsSuch() throws Exception {
        ProcessTree tree = spawn(null, "sleep", "600");
        tree.members().signal(TreeSignal.TERM);
        assertEquals(ExitStatus.killedBy(15), tree.awaitExit());
    }

    /** A stop is not an exit: waitid(WEXITED) reports none (bsd/kern/kern_exit.c needs WSTOPPED for it too). */
    @Test
    void aStoppedLeaderHasNotExited() throws Exception {
        ProcessTree tree = spawn(null, "sleep", "600");
        Procs.kill(tree.pid(), "STOP");
        java.util.concurrent.CompletableFuture<ExitStatus> exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return tree.awaitExit();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> Procs.isStopped(tree.pid()), "the leader to stop");
        assertTrue(Procs.holdsFor(() -> !exit.isDone(), Duration.ofMillis(300)),
                "still waiting while the leader is stopped");
        tree.members().signal(TreeSignal.KILL);
        assertEquals(ExitStatus.killedBy(9), exit.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void teardownReachesMembersThatOutlivedTheLeader() throws Exception {
        Path pidFile = temp.resolve("grandchild");
        ProcessTree tree = spawn(null, "sh", "-c", "sleep 600 & echo $! > " + pidFile);
        tree.awaitExit();
        awaitTrue(() -> Files.exists(pidFile) && tree.members().count() == 1, "the orphaned sleep");
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofSeconds(30));
        assertEquals(1, report.reachedByFirst());
        assertEquals(0, report.reachedByKill());
        assertTrue(report.empty());
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the command's signal masks and descriptors from /proc")
    @Test
    void workingDirectoryAndCleanSignalStateReachTheCommand() throws Exception {
        Path out = temp.resolve("out");
        // SigBlk and SigIgn are the blocked and ignored masks; the JVM blocks and ignores some signals itself.
        ProcessTree tree = spawn(temp, "sh", "-c",
                "pwd > out; grep -E '^Sig(Blk|Ign)' /proc/self/status >> out; ls /proc/self/fd >> out");
        assertEquals(ExitStatus.exited(0), tree.awaitExit());
        List<String> lines = Files.readAllLines(out);
        assertEquals(temp.toRealPath().toString(), lines.get(0));
        assertEquals("SigBlk:\t0000000000000000", lines.get(1));
        assertEquals("SigIgn:\t0000000000000000", lines.get(2));
        // ls itself opens one fd for /proc/self/fd; the JVM's many descriptors must not be inherited.
        assertEquals(List.of("0", "1", "2", "3"), lines.subList(3, lines.size()));
    }

    @Test
    void spawnFailuresFollowTheShellsConventions() throws Exception {
        SpawnException missing = assertThrows(SpawnException.class, () -> spawn(null, "tether-no-such-program"));
        assertEquals(SpawnException.Reason.NOT_FOUND, missing.reason());
        assertEquals("cannot run 'tether-no-such-program': No such file or directory", missing.getMessage());
        Path plain = Files.writeString(temp.resolve("plain"), "not executable");
        SpawnException notExecutable = assertThrows(SpawnException.class, () -> spawn(null, plain.toString()));
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, notExecutable.reason());
        assertTrue(notExecutable.getMessage().endsWith(": Permission denied"), notExecutable.getMessage());
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE,
                assertThrows(SpawnException.class, () -> spawn(null, temp.toString())).reason());
    }

    /**
     * The detached tether is tether's own program: a start the system refuses (E2BIG here, as when COMMAND's
     * arguments and environment fill the limit and --detach adds its report variable) is tether's failure,
     * 125, not COMMAND's 126, and the message says which program it was.
     */
    @Test
    void aDetachedTetherThatCannotStartIsTethersOwnFailure() {
        // A program that exists (the launcher does not, beside this test's JVM): the refusal is E2BIG's alone.
        List<byte[]> command = new ArrayList<>(List.of("/bin/sh".getBytes(UTF_8)));
        for (int i = 0; i < 40; i++) {
            command.add("x".repeat(100_000).getBytes(UTF_8));
        }
        SpawnException e = assertThrows(SpawnException.class, () -> GroupSpawner.startDetached(command, List.of(),
                "/dev/null".getBytes(UTF_8), () -> 0));
        assertEquals(SpawnException.Reason.FAILED, e.reason());
        assertTrue(e.getMessage().startsWith("cannot start the detached tether: Argument list too long"), e.getMessage());
    }

    /** Like execvp, env and a shell: an executable text file without "#!" runs with /bin/sh. */
    @Test
    void aScriptWithoutAShebangRunsWithTheShell() throws Exception {
        Path script = Files.writeString(temp.resolve("script"), "echo \"$0 $1\" > out\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessTree tree = spawn(temp, "./script", "one");
        assertEquals(ExitStatus.exited(0), tree.awaitExit());
        assertEquals("./script one\n", Files.readString(temp.resolve("out")));
    }

    @Test
    void aTextFileThatIsNotExecutableStillCannotRun() throws Exception {
        Files.writeString(temp.resolve("script"), "echo no\n");
        SpawnException e = assertThrows(SpawnException.class, () -> spawn(temp, "./script"));
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, e.reason());
    }
}

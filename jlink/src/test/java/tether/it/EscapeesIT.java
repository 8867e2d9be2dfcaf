package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.testkit.RequiresTools;

/**
 * Descendants that work at escaping the teardown, and the sentinel meeting the fate of other people's
 * processes: what must never make tether believe the tree empty, or leave a process of it alive.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "/proc, setsid(1), and orphans reparented to tether (PR_SET_CHILD_SUBREAPER)")
class EscapeesIT extends LauncherTest {

    /**
     * A hopping escapee: leaves tether's group, ignores SIGTERM, then forks and lets the parent exit, over
     * and over, so that each process lives microseconds; with "session", each new process also starts a
     * session of its own. Every 64 hops it touches its heartbeat, the file argv[3]: a scan of the process table
     * could miss it as tether's used to, the file's time cannot. It ends itself after argv[1] seconds
     * whatever happens, so that a failed test cannot leave it hopping (see {@link #REAPER} for where its
     * orphans go meanwhile).
     */
    static final String HOPPER = """
            #include <fcntl.h>
            #include <signal.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/stat.h>
            #include <time.h>
            #include <unistd.h>
            static double now(void) {
                struct timespec t;
                clock_gettime(CLOCK_MONOTONIC, &t);
                return t.tv_sec + t.tv_nsec / 1e9;
            }
            int main(int argc, char **argv) {
                double end = now() + atof(argv[1]);
                int session = strcmp(argv[2], "session") == 0;
                signal(SIGTERM, SIG_IGN);
                setsid();
                for (unsigned long hops = 0; now() < end; hops++) {
                    pid_t child = fork();
                    if (child > 0) {
                        _exit(0);
                    }
                    if (child < 0) {
                        usleep(1000);
                    } else if (session) {
                        setsid();
                    }
                    if (hops % 64 == 0) {
                        utimensat(AT_FDCWD, argv[3], NULL, 0);
                    }
                }
                return 0;
            }
            """;

    /** How many runs a hopper gets: it is a race, which a single run could win by luck. */
    static final int HOPPER_RUNS = 5;

    /**
     * Runs its arguments but the first as a child, writes the child's status to the file the first names as
     * soon as the child exits, and then, as a subreaper, reaps every orphan that comes to it for as long as
     * any is left (at most 30 s). A hopper that outlives a failed tether hops on in orphans that go to the
     * nearest subreaper: without this one, to init, which on some machines reaps so slowly that the zombies
     * fill the pid space.
     */
    static final String REAPER = """
            import ctypes, os, sys, time
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
            child = os.fork()
            if child == 0:
                os.execvp(sys.argv[2], sys.argv[2:])
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    pid, code = os.wait()
                except ChildProcessError:
                    break
                if pid == child:
                    with open(sys.argv[1], "w") as status:
                        status.write(str(os.waitstatus_to_exitcode(code)) + "\\n")
            """;

    Path hopper() {
        return compiledC("hopper", HOPPER);
    }

    /**
     * Two scans in a row could each miss a hopper that hops while they read (its new process is handed to
     * tether behind the scan), and tether then took the tree for empty: no SIGKILL, the hopper lived on. A
     * scan during which a child of tether exited proves nothing now, and the hopper's process group (its
     * own session's) is signalled as a whole, which reaches every process it forked since. tether runs under
     * {@link #REAPER}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"group", "session"})
    @RequiresTools(value = "python3", why = "tether runs under a small Python subreaper that reports its status")
    void aHoppingEscapeeIsKilled(String mode) {
        Path program = hopper();
        Path reaper = temp.resolve("reaper.py");
        try {
            Files.writeString(reaper, REAPER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 1; i <= HOPPER_RUNS; i++) {
            Path heartbeat = createFile(temp.resolve("heartbeat" + i));
            Path exited = temp.resolve("status" + i);
            List<String> reaped = new java.util.ArrayList<>(List.of("python3", reaper.toString(), exited.toString()));
            reaped.addAll(tetherSh(List.of("-v", "--grace", "200ms", "--no-watch"),
                    program + " 5 " + mode + " " + heartbeat + " & sleep 0.2; exit 0"));
            TetherRun run = start(temp, reaped);
            Procs.await(() -> !lines(exited).isEmpty(), DEADLINE, () -> "tether to exit; stderr: " + run.stderr());
            String attempt = "run " + i + ", tether exited with " + lines(exited) + ": ";
            Procs.await(() -> stillFor(heartbeat, Duration.ofMillis(200)), Duration.ofSeconds(2),
                    () -> attempt + "the hopper's heartbeat to stop; stderr: " + run.stderr());
            assertEquals(List.of("0"), lines(exited), attempt + run.stderr());
            run.awaitExit(DEADLINE);
        }
    }

    static Path createFile(Path file) {
        try {
            return Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code file}'s time stays the same for {@code period}: no hopper touches it any more. */
    static boolean stillFor(Path file, Duration period) {
        try {
            java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
            Thread.sleep(period);
            return before.equals(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The sentinel's process: the child of {@code tether} that leads a session of its own. */
    static long sentinelOf(long tether) {
        return Procs.childrenOf(tether).stream().filter(EscapeesIT::leadsItsSession).findFirst()
                .orElseThrow(() -> new AssertionError("no sentinel among " + Procs.childrenOf(tether)));
    }

    static boolean leadsItsSession(long pid) {
        String stat = Procs.stat(pid);
        return stat != null && !stat.startsWith("Z") && Long.parseLong(stat.split(" ")[3]) == pid;
    }

    /**
     * Killed by whatever kills other people's shells ({@code killall sh}), the sentinel is tether's child, so
     * tether notices: it says so in one line and starts another, which then does the sentinel's work when
     * tether is SIGKILLed.
     */
    @Test
    void aKilledSentinelIsReplacedAndTheReplacementTearsDown() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--grace", "300ms", "--no-watch"),
                "trap '' TERM; echo $$ > " + pids + "; while :; do sleep 0.05; done"));
        long command = awaitPids(run, pids, 1).getFirst();
        long sentinel = sentinelOf(run.pid());
        Procs.kill(sentinel, "TERM");
        Procs.await(() -> run.stderr().contains("sentinel (pid " + sentinel + ") was killed by signal 15"), DEADLINE,
                () -> "tether to say the sentinel was killed; stderr: " + run.stderr());
        Procs.await(() -> Procs.childrenOf(run.pid()).stream().anyMatch(child -> child != sentinel
                && leadsItsSession(child)), DEADLINE, "another sentinel");
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        Procs.kill(run.pid(), "KILL");
        Procs.awaitDead(List.of(command), DEADLINE);
    }

    /**
     * The sentinel's pid, once it is reaped, may be given to a process of the tree (pids wrap): that process
     * must not be left out of the teardown as the sentinel was. The wrap is forced through
     * {@code ns_last_pid}, which takes root.
     */
    @Test
    @RequiresRoot("forces a pid's reuse through /proc/sys/kernel/ns_last_pid")
    @RequiresTools(value = "python3", why = "the command that takes the pid is a small Python program")
    void aMemberGivenTheDeadSentinelsPidIsTornDown() throws Exception {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        // Root of a container without CAP_CHECKPOINT_RESTORE in its PID namespace may not write it either.
        assumeTrue(Files.isWritable(lastPid), "needs root that may write " + lastPid + " (not so in this container)");
        Path target = temp.resolve("target");
        Path taken = temp.resolve("taken");
        Path reuse = Files.writeString(temp.resolve("reuse.py"), """
                import os, signal, sys, time
                # Waits for a pid to be named in argv[1], then forks until a child gets it (another process may
                # take it first), and that child leaves the group, ignores SIGTERM and sleeps.
                while not (os.path.exists(sys.argv[1]) and open(sys.argv[1]).read().strip()):
                    time.sleep(0.01)
                wanted = int(open(sys.argv[1]).read())
                for attempt in range(200):
                    with open("/proc/sys/kernel/ns_last_pid", "w") as last:
                        last.write(str(wanted - 1))
                    pid = os.fork()
                    if pid == 0:
                        if os.getpid() == wanted:
                            os.setsid()
                            signal.signal(signal.SIGTERM, signal.SIG_IGN)
                            open(sys.argv[2], "w").write(str(os.getpid()))
                            time.sleep(600)
                        os._exit(0)
                    if pid == wanted:
                        break
                    os.waitpid(pid, 0)
                time.sleep(600)
                """);
        TetherRun run = start(temp, tether("--grace", "300ms", "--no-watch", "--", "python3", reuse.toString(),
                target.toString(), taken.toString()));
        // With a cgroup, tether's first child is the helper that starts COMMAND in it, before the sentinel.
        Procs.await(() -> Procs.childrenOf(run.pid()).stream().anyMatch(EscapeesIT::leadsItsSession), DEADLINE,
                "tether's sentinel");
        long sentinel = sentinelOf(run.pid());
        Procs.kill(sentinel, "KILL");
        Procs.await(() -> run.stderr().contains("sentinel (pid " + sentinel + ")"), DEADLINE,
                () -> "tether to reap the sentinel; stderr: " + run.stderr());
        Files.writeString(target, String.valueOf(sentinel));
        Procs.await(() -> !lines(taken).isEmpty(), DEADLINE, "a member with the sentinel's old pid " + sentinel);
        assertEquals(List.of(String.valueOf(sentinel)), lines(taken));
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        Procs.awaitDead(List.of(sentinel), DEADLINE);
        assertTrue(run.stderr().lines().allMatch(line -> line.contains("sentinel")), run.stderr());
    }
}

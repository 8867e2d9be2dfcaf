package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tether.testkit.Procs;

/**
 * The signals that glibc and HotSpot keep for themselves, sent to tether from outside: 32 (glibc's
 * SIGCANCEL, whose default action would end tether before its teardown), 33 (glibc's SIGSETXID) and 64
 * (SIGRTMAX, HotSpot's suspend/resume signal here, which it reports as stray on a thread it does not know).
 * Each ends nothing and prints nothing; the tree stays supervised and is torn down as ever afterwards.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "Linux's real-time signal numbers and glibc's internal signals")
class ReservedSignalsIT extends LauncherTest {

    /**
     * Runs its arguments with signal 32 at its default action, as a shell leaves it (a JVM, such as the one
     * running these tests, ignores it, and its children inherit that): glibc's sigaction refuses 32, so
     * through the kernel's own call.
     */
    static final String DEFAULT_32 = """
            #include <signal.h>
            #include <sys/syscall.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); unsigned long mask; }
                    action = {SIG_DFL, 0, 0, 0};
                syscall(SYS_rt_sigaction, 32, &action, 0, sizeof action.mask);
                execvp(argv[1], argv + 1);
                return 127;
            }
            """;

    Path default32() {
        return compiledC("default32", DEFAULT_32);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 33, 64})
    void aReservedSignalEndsNothingAndPrintsNothing(int signal) throws Exception {
        Path pids = temp.resolve("pids");
        List<String> command = new java.util.ArrayList<>(List.of(default32().toString()));
        command.addAll(tetherSh(List.of("--no-watch"), "sleep 600 & echo $! >> " + pids
                + "; setsid sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait"));
        TetherRun run = start(temp, command);
        List<Long> tree = awaitPids(run, pids, 3);
        Procs.kill(run.pid(), String.valueOf(signal));
        assertTrue(Procs.holdsFor(run.process::isAlive, Duration.ofMillis(500)), "signal " + signal + " ended tether: "
                + run.stderr());
        assertEquals(tree, Procs.alive(tree));
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree));
        assertEquals("", run.stderr());
    }
}

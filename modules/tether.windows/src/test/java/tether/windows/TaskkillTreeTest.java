package tether.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.api.ExitStatus;
import tether.api.SpawnException;
import tether.api.Teardown;
import tether.api.TreeSignal;
import tether.testkit.Procs;

/**
 * The Windows tree's decisions, on real processes of this machine: the root is a real process, and the
 * command runner records the taskkill command lines (and, where a test needs the effect, carries them out
 * with kill).
 */
class TaskkillTreeTest {

    static final Taskkill TASKKILL = new Taskkill("C:\\Windows");

    final List<Process> started = new ArrayList<>();
    final List<List<String>> commands = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** A root process for the tree: {@code sh -c script}, reaped through the JDK. */
    RootProcess root(String script) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", script).start();
        started.add(process);
        return new RootProcess() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public int awaitExitCode() throws InterruptedException {
                return process.waitFor();
            }

            @Override
            public void close() {}
        };
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) {
        Procs.await(condition, Duration.ofSeconds(10), "the tree to reach the expected size");
    }

    @Test
    void taskkillCommandLines() {
        assertEquals(List.of("C:\\Windows/System32/taskkill.exe".replace('/', java.io.File.separatorChar), "/T",
                "/PID", "42"), TASKKILL.askToClose(42));
        assertEquals(List.of("taskkill.exe", "/T", "/F", "/PID", "7"), new Taskkill(null).terminate(7));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // the roots are sh processes
    void signalsBecomeTaskkillRequestsOnTheRootPid() throws Exception {
        RootProcess root = root("sleep 600");
        TaskkillTree tree = new TaskkillTree(root, command -> {
            commands.add(command);
            return 0;
        }, TASKKILL);
        tree.members().signal(TreeSignal.TERM);
        tree.members().signal(TreeSignal.CONT);
        tree.members().signal(TreeSignal.INT);
        tree.members().signal(TreeSignal.KILL);
        assertEquals(List.of(TASKKILL.askToClose(root.pid()), TASKKILL.askToClose(root.pid()),
                TASKKILL.terminate(root.pid())), commands);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // the roots are sh processes
    void liveMembersAreTheRootAndItsDescendants() throws Exception {
        TaskkillTree tree = new TaskkillTree(root("sleep 600 & sleep 600 & wait"), command -> 0, TASKKILL);
        awaitTrue(() -> tree.members().count() == 3);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // the roots are sh processes
    void afterTheRootExitedNothingCanBeReachedAndNothingIsRun() throws Exception {
        TaskkillTree tree = new TaskkillTree(root("exit 3"), command -> {
            commands.add(command);
            return 0;
        }, TASKKILL);
        assertEquals(ExitStatus.exited(3), tree.awaitExit());
        awaitTrue(() -> tree.members().count() == 0);
        tree.members().signal(TreeSignal.TERM);
        tree.members().signal(TreeSignal.KILL);
        assertEquals(List.of(), commands);
    }

    /** A tree whose members ignore the request to close, as console programs do, ends at /F. */
    @Test
    @DisabledOnOs(OS.WINDOWS) // the roots are sh processes
    void teardownAsksFirstAndTerminatesAtGrace() throws Exception {
        RootProcess root = root("trap '' TERM; sleep 600 & wait");
        TaskkillTree tree = new TaskkillTree(root, command -> {
            commands.add(command);
            if (command.contains("/F")) {
                ProcessHandle.of(root.pid()).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
            return 0;
        }, TASKKILL);
        awaitTrue(() -> tree.members().count() == 2);
        Teardown.Report report = Teardown.run(tree, TreeSignal.TERM, Duration.ofMillis(100));
        assertTrue(report.empty());
        assertEquals(2, report.reachedByFirst());
        // Termination is repeated on each later scan until the tree is empty, as for SIGKILL on Unix.
        assertEquals(TASKKILL.askToClose(root.pid()), commands.getFirst());
        assertTrue(commands.size() >= 2, commands.toString());
        assertTrue(commands.subList(1, commands.size()).stream().allMatch(c -> c.equals(TASKKILL.terminate(root.pid()))),
                commands.toString());
    }

    @Test
    void spawnErrorsFollowTheShellsConventions() {
        assertEquals(SpawnException.Reason.NOT_FOUND, WindowsProcessTreeKiller.failure("x", 2).reason());
        assertEquals(SpawnException.Reason.NOT_FOUND, WindowsProcessTreeKiller.failure("x", 3).reason());
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, WindowsProcessTreeKiller.failure("x", 5).reason());
        assertEquals(SpawnException.Reason.NOT_EXECUTABLE, WindowsProcessTreeKiller.failure("x", 193).reason());
        assertEquals(SpawnException.Reason.FAILED, WindowsProcessTreeKiller.failure("x", 1450).reason());
        assertEquals("cannot run 'npm': No such file or directory", WindowsProcessTreeKiller.failure("npm", 2).getMessage());
    }

    @Test
    void supportedOnWindowsOnly() {
        assertEquals(System.getProperty("os.name").startsWith("Windows"), new WindowsProcessTreeKiller().isSupported());
        assertEquals("windows", new WindowsProcessTreeKiller().name());
    }
}

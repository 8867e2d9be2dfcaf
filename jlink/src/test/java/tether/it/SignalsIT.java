package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tether.testkit.Procs;

/** Signals to tether tear the tree down and set the exit status (docs/guarantees.md: Signals). */
class SignalsIT extends LauncherTest {

    /**
     * {@code command} with SIGINT at its default, whatever this JVM got: a background job of a
     * non-interactive shell (a build started with {@code &} from a script) starts with SIGINT ignored, which
     * tether keeps, as {@link #aSignalIgnoredAtStartStaysIgnored} holds; no shell may undo that, and Perl can.
     */
    static List<String> withSigintAtItsDefault(List<String> command) {
        List<String> reset = new ArrayList<>(List.of("perl", "-e",
                "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"$ARGV[0]: $!\\n\"", "--"));
        reset.addAll(command);
        return reset;
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143", "HUP, 129", "INT, 130"})
    void signalToTetherTearsTheTreeDown(String signal, int status) {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, withSigintAtItsDefault(tetherSh(List.of("--no-watch", "--grace", "30s"),
                tree(pids, 2))));
        List<Long> tree = awaitPids(pids, 3);
        Procs.kill(run.pid(), signal);
        assertEquals(status, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree));
    }

    /**
     * Ctrl-C in a shell without job control signals the whole foreground group, tether included. {@link #start}
     * runs tether in a new session, so it leads a group of its own, which holds none of the build.
     */
    @Test
    void sigintToTethersProcessGroup() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, withSigintAtItsDefault(tetherSh(List.of("--grace", "30s"), tree(pids, 1))));
        List<Long> tree = awaitPids(pids, 2);
        Procs.await(() -> Procs.parentOf(tree.getLast()) == run.pid(), DEADLINE, "the new session to exec tether");
        assertEquals(run.pid(), Procs.groupOf(run.pid()));
        Procs.killGroup(run.pid(), "INT");
        assertEquals(130, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree));
    }

    @Test
    void aDescendantIgnoringSigtermIsKilledAtGrace() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--grace", "300ms"), "trap '' TERM; " + tree(pids, 2)));
        List<Long> tree = awaitPids(pids, 3);
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree));
    }

    @ParameterizedTest
    @CsvSource({"TERM, TERM", "USR1, USR1", "SIGINT, INT", "hup, HUP", "QUIT, QUIT", "USR2, USR2"})
    void theFirstSignalIsCatchableAndComesBeforeSigkill(String option, String trapped) throws Exception {
        Path seen = temp.resolve("seen");
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--signal", option, "--grace", "30s"),
                "trap 'echo " + trapped + " > " + seen + "; exit 0' " + trapped + "; echo $$ > " + pids
                        + "; while :; do sleep 0.05; done"));
        awaitPids(pids, 1);
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(trapped), lines(seen));
    }

    /** A background job of a non-interactive shell ignores SIGINT; tether must keep it ignored. */
    @Test
    void aSignalIgnoredAtStartStaysIgnored() throws Exception {
        Path pids = temp.resolve("pids");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        command.addAll(tetherSh(List.of("--no-watch"), tree(pids, 1)));
        TetherRun run = start(temp, command);
        List<Long> tree = awaitPids(pids, 2);
        Procs.kill(run.pid(), "INT");
        assertFalse(run.process.waitFor(500, TimeUnit.MILLISECONDS), "SIGINT was ignored at start");
        assertEquals(tree, Procs.alive(tree));
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
    }
}

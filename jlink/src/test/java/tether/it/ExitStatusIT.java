package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tether.testkit.Procs;

/** The exit statuses of the table in docs/usage.md, and the sweep after COMMAND exits on its own. */
class ExitStatusIT extends LauncherTest {

    @Test
    void commandsExitStatusIsPassedOn() {
        TetherRun run = start(temp, tetherSh(List.of(), "exit 7"));
        assertEquals(7, run.awaitExit(DEADLINE));
        assertEquals("", run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void deathBySignalIs128PlusTheSignal() {
        TetherRun run = start(temp, tetherSh(List.of(), "kill -TERM $$"));
        assertEquals(143, run.awaitExit(DEADLINE));
    }

    @Test
    void aGrandchildLingeringInTheGroupIsKilledAfterTheCommandExits() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--grace", "30s"), "sleep 600 & echo $! > " + pids));
        assertEquals(0, run.awaitExit(DEADLINE));
        List<Long> grandchild = lines(pids).stream().map(Long::parseLong).toList();
        assertEquals(1, grandchild.size());
        // tether exits only once the group is empty, and SIGTERM (not SIGKILL at 30 s) did it.
        assertEquals(List.of(), Procs.alive(grandchild));
    }

    @Test
    void aGrandchildIgnoringSigtermIsKilledAtGraceAfterTheCommandExits() {
        Path pids = temp.resolve("pids");
        long started = System.nanoTime();
        TetherRun run = start(temp, tetherSh(List.of("--grace", "300ms"),
                "trap '' TERM; sleep 600 & echo $! > " + pids));
        assertEquals(0, run.awaitExit(DEADLINE));
        assertTrue(System.nanoTime() - started >= 300_000_000L, "SIGKILL only after the grace period");
        assertEquals(List.of(), Procs.alive(lines(pids).stream().map(Long::parseLong).toList()));
    }

    @Test
    void missingCommandIs127() {
        TetherRun run = start(temp, tether("--", "tether-no-such-command"));
        assertEquals(127, run.awaitExit(DEADLINE));
        assertEquals("tether: cannot run 'tether-no-such-command': No such file or directory\n", run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void nonExecutableFileIs126() throws Exception {
        Path script = Files.writeString(temp.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        TetherRun run = start(temp, tether("./script.sh"));
        assertEquals(126, run.awaitExit(DEADLINE));
        assertEquals("tether: cannot run './script.sh': Permission denied\n", run.stderr());
    }

    @Test
    void aDirectoryIs126() {
        TetherRun run = start(temp, tether("--", temp.toString()));
        assertEquals(126, run.awaitExit(DEADLINE));
        assertTrue(run.stderr().startsWith("tether: cannot run '" + temp + "': "), run.stderr());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | missing COMMAND (see 'tether --help')",
        "--poll 1x true              | invalid --poll '1x': expected a number and a unit",
        "--poll 5ms true             | invalid --poll '5ms': below the minimum of 10ms",
        "--grace forever true        | invalid --grace 'forever': expected a number and a unit",
        "--signal KILL true          | invalid --signal 'KILL': expected one of TERM, INT, HUP, QUIT, USR1, USR2",
        "--frobnicate true           | unknown option '--frobnicate' (see 'tether --help')",
        "--verbose=2 true            | --verbose takes no value",
        "--no-watch -w . true        | cannot be combined",
        "-C tether-missing-dir true  | cannot use -C 'tether-missing-dir': No such file or directory",
        "-w tether-missing-path true | cannot watch 'tether-missing-path': No such file or directory"})
    void usageErrorsAre125WithOneLine(String args, String expected) {
        List<String> words = args.isEmpty() ? List.of() : List.of(args.split(" "));
        TetherRun run = start(temp, tether(words.toArray(String[]::new)));
        assertEquals(125, run.awaitExit(DEADLINE));
        String stderr = run.stderr();
        assertTrue(stderr.startsWith("tether: ") && stderr.contains(expected), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertFalse(stderr.contains("Exception"), stderr);
        assertEquals("", run.stdout());
    }

    @Test
    void helpAndVersionGoToStdoutWithStatus0() {
        TetherRun help = start(temp, tether("--help"));
        assertEquals(0, help.awaitExit(DEADLINE));
        assertTrue(help.stdout().startsWith("Usage: tether [OPTION]... [--] COMMAND [ARG]...\n"), help.stdout());
        assertTrue(help.stdout().contains("Examples:"), help.stdout());
        assertEquals("", help.stderr());
        TetherRun version = start(temp, tether("-V"));
        assertEquals(0, version.awaitExit(DEADLINE));
        assertTrue(version.stdout().matches("tether \\d+\\.\\d+\\.\\d+ \\(commit [0-9a-f]{12}(-modified)?\\)\\n"
                + "Java 25\\S* \\(.+\\), \\S+ \\S+ \\S+\\n"), version.stdout());
    }

    @Test
    void verboseLogsTheLifecycleOnStderrOnly() {
        TetherRun run = start(temp, tetherSh(List.of("-v"), "sleep 600 & exit 3"));
        assertEquals(3, run.awaitExit(DEADLINE));
        String log = run.stderr();
        assertTrue(log.contains("spawned sh -c"), log);
        assertTrue(log.contains("(unix provider)"), log);
        assertTrue(log.contains("command exited with status 3"), log);
        assertTrue(log.contains("SIGTERM and SIGCONT reached 1 process"), log);
        assertTrue(log.contains("exiting with status 3"), log);
        assertTrue(log.contains("the group was empty"), log);
        assertEquals("", run.stdout());
    }
}

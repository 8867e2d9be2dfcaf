package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Commands;
import tether.testkit.Procs;

/**
 * Names tether is handed that must not mislead it or its user: an empty {@code --watch}, a log that is a
 * symbolic link someone else may have planted, and a worktree whose name holds a right-to-left override.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "--list reads /proc; file names as Linux takes them")
class UntrustedNamesIT extends LauncherTest {

    /** An empty path names nothing; joined to the working directory it would silently watch that instead. */
    @Test
    void anEmptyWatchIsRefusedAsAnEmptyDirectoryIs() {
        for (List<String> option : List.of(List.of("--watch", ""), List.of("-C", ""))) {
            List<String> args = new java.util.ArrayList<>(option);
            args.addAll(List.of("--", "true"));
            TetherRun run = start(temp, tether(args.toArray(String[]::new)));
            assertEquals(125, run.awaitExit(DEADLINE), option + ": " + run.stderr());
            assertEquals(1, run.stderr().lines().count(), run.stderr());
            assertTrue(run.stderr().contains("''") && run.stderr().contains("No such file or directory"), run.stderr());
        }
    }

    /**
     * A symbolic link at the log's name is not followed: in a directory others may write to, it could have
     * been planted to make tether append to a file of the user's. The message says what to do instead.
     */
    @Test
    void aLogThatIsASymbolicLinkIsRefused() throws Exception {
        Path precious = Files.writeString(temp.resolve("precious"), "keep\n");
        Path log = Files.createSymbolicLink(temp.resolve("dev-server.log"), precious);
        TetherRun run = start(temp, tether("--detach", "--no-watch", "--log", log.toString(), "--", "sh", "-c",
                "echo written"));
        assertEquals(125, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("symbolic link"), run.stderr());
        assertEquals("keep\n", Files.readString(precious));
    }

    /**
     * A right-to-left override in a worktree's name would turn the rest of the line around in {@code --list}
     * and print raw in its JSON: both show it as Printable's escape instead.
     */
    @Test
    void anOverrideInAWorktreesNameIsShownEscaped() throws Exception {
        Path pids = temp.resolve("pids");
        // Made by the shell from its bytes: this JVM, in the C locale, could not name it.
        TetherRun run = start(temp, List.of("sh", "-c", "d=$(printf 'wt-\\342\\200\\256gnp.exe'); mkdir \"$d\" && exec "
                + LAUNCHER.toAbsolutePath() + " --watch \"$d\" -- sh -c " + TerminalIT.quoted(tree(pids, 1))));
        awaitPids(run, pids, 2);
        for (List<String> format : List.of(List.of("--list"), List.of("--list", "--json"))) {
            List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
            command.addAll(format);
            Commands listed = Commands.run(temp, command);
            assertEquals(0, listed.status(), listed.output());
            assertFalse(listed.output().contains("\u202e"), format + " printed the override raw:\n" + listed.output());
            // The JSON string holds Printable's escape, its backslash escaped in turn.
            String shown = format.size() == 1 ? "wt-\\u202egnp.exe" : "wt-\\\\u202egnp.exe";
            assertTrue(listed.output().contains(shown), format + ":\n" + listed.output());
        }
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
    }
}

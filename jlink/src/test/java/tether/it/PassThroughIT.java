package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;

/** What tether hands to COMMAND: arguments, stdin, environment, working directory. */
class PassThroughIT extends LauncherTest {

    /** Prints each argument followed by NUL, so empty arguments and newlines stay visible. */
    static final String PRINT_ARGS = "for a; do printf '%s\\0' \"$a\"; done";

    static final List<String> AWKWARD = List.of("with space", "", "ünïcødé ✓", "--", "$HOME", "*", "-v",
            "--signal", "a\nb", "'\"\\", "--help");

    @Test
    void argumentsReachTheCommandVerbatim() {
        List<String> args = new ArrayList<>(List.of("--", "sh", "-c", PRINT_ARGS, "argv0"));
        args.addAll(AWKWARD);
        TetherRun run = startVerbatim(temp, tether(args.toArray(String[]::new)), markedEnvironment());
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(String.join("\0", AWKWARD) + "\0", run.stdout());
    }

    @Test
    void optionsAfterTheCommandBelongToTheCommand() {
        TetherRun run = start(temp, tether("sh", "-c", PRINT_ARGS, "argv0", "--port", "3000", "-v", "--", "x"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("--port\0003000\0-v\0--\0x\0", run.stdout());
        assertEquals("", run.stderr(), "-v after COMMAND must not make tether verbose");
    }

    /**
     * In the C locale the JVM decodes non-ASCII arguments to '?'; tether must still pass the original
     * bytes, even ones that are not valid UTF-8.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "/proc/self/cmdline: on macOS arguments are the JVM's UTF-8 strings (docs/platforms.md, macOS)")
    @Test
    void argumentBytesSurviveTheCLocale() throws Exception {
        byte[][] odd = {"héllo ✓".getBytes(UTF_8), {(byte) 0xff, (byte) 0xfe, 'x'}, {(byte) 0xe9}};
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.write(("exec '" + LAUNCHER + "' -- sh -c '" + PRINT_ARGS.replace("'", "'\\''") + "' argv0").getBytes(UTF_8));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] arg : odd) {
            script.write(" '".getBytes(UTF_8));
            script.write(arg);
            script.write('\'');
            expected.write(arg);
            expected.write(0);
        }
        script.write('\n');
        Path file = Files.write(temp.resolve("run.sh"), script.toByteArray());
        TetherRun run = start(temp, List.of("sh", file.toString()), env -> {
            env.remove("LANG");
            env.remove("LANGUAGE");
            env.put("LC_ALL", "C");
        });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertArrayEquals(expected.toByteArray(), run.stdoutBytes());
    }

    @Test
    void binaryStdinReachesTheCommandUnchanged() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        TetherRun run = start(temp, tether("cat"));
        try (OutputStream stdin = run.process.getOutputStream()) {
            stdin.write(data);
        }
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertArrayEquals(data, run.stdoutBytes());
    }

    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void worktrunkDirectiveVariablesAreScrubbedAndEverythingElseIsKept() throws Exception {
        Map<String, String> env = markedEnvironment();
        env.put("WORKTRUNK_DIRECTIVE_CD_FILE", "/tmp/cd");
        env.put("WORKTRUNK_DIRECTIVE_EXEC_FILE", "/tmp/exec");
        env.put("WORKTRUNK_DIRECTIVE_FILE", "/tmp/directive");
        env.put("WORKTRUNK_SHELL_CWD", "/tmp");
        env.put("WORKTRUNK_BRANCH", "kept");
        env.put("TETHER_IT_EMPTY", "");
        env.put("TETHER_IT_ODD", "a=b c\td ünï");
        // The launcher is no shell: PWD passes as it came, even when it names another directory.
        env.put("PWD", "/elsewhere");
        Map<String, String> expected = new HashMap<>(env);
        TetherRun run = startVerbatim(temp, tether("env", "-0"), env);
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        expected.put("TETHER_TREE", run.pid() + ":" + temp.toRealPath()); // the marker tether adds (Provenance)
        Map<String, String> seen = new HashMap<>();
        for (String entry : run.stdout().split("\0")) {
            int eq = entry.indexOf('=');
            seen.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        for (String scrubbed : List.of("WORKTRUNK_DIRECTIVE_CD_FILE", "WORKTRUNK_DIRECTIVE_EXEC_FILE",
                "WORKTRUNK_DIRECTIVE_FILE", "WORKTRUNK_SHELL_CWD")) {
            assertFalse(seen.containsKey(scrubbed), scrubbed);
            expected.remove(scrubbed);
        }
        assertEquals(expected, seen);
    }

    @Test
    void dashCRunsTheCommandInTheDirectory() throws Exception {
        Path sub = Files.createDirectory(temp.resolve("sub"));
        TetherRun run = start(temp, tether("-C", "sub", "pwd"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(sub.toRealPath() + "\n", run.stdout());
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "/proc/self/status and /proc/PID/fd")
    @Test
    void noStrayFileDescriptorsOrSignalStateReachTheCommand() {
        TetherRun run = start(temp, tetherSh(List.of(),
                "grep -E '^Sig(Blk|Ign)' /proc/self/status; ls /proc/$$/fd"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n0\n1\n2\n", run.stdout());
    }

    @Test
    void theCommandLeadsItsOwnProcessGroup() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of(), "echo $$ > " + pids + "; exec sleep 600"));
        long command = awaitPids(pids, 1).getFirst();
        assertEquals(command, Procs.groupOf(command));
        assertEquals(run.pid(), Procs.parentOf(command), "the launcher execs the JVM, which is the parent");
        assertTrue(Procs.groupOf(run.pid()) != command);
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
    }
}

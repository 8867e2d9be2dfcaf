package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;

/** Errors name the real cause, in one line, with the status of whose failure it is (docs/usage.md: Exit status). */
class MessagesIT extends LauncherTest {

    /** Only the line and the status matter: COMMAND never ran. */
    void assertFails(TetherRun run, int status, String line) {
        assertEquals(status, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(line + "\n", run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void aDirectoryThatCannotBeEnteredIsAnOptionProblem() throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectory(temp.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rw-rw-rw-"));
        TetherRun run = start(temp, withoutPrivileges("-C", closed.toString(), "--no-watch", "true"));
        assertFails(run, 125, "tether: cannot use -C '" + closed + "': Permission denied");
    }

    @Test
    void aPathOverTheLimitSaysSo() {
        String tooLong = "/" + "x".repeat(5000);
        assertFails(start(temp, tether("-C", tooLong, "true")), 125,
                "tether: cannot use -C '" + tooLong + "': File name too long");
        assertFails(start(temp, tether("--watch", tooLong, "true")), 125,
                "tether: cannot watch '" + tooLong + "': File name too long");
    }

    @Test
    void aNameWithANewlineStaysOnOneLine() {
        assertFails(start(temp, tether("-C", "/no\nsuch", "true")), 125,
                "tether: cannot use -C '/no\\nsuch': No such file or directory");
    }

    /** strerror(ENXIO), which glibc and macOS's libc word differently. */
    static final String ENXIO = OS.MAC.isCurrentOs() ? "Device not configured" : "No such device or address";

    /** Opening a FIFO nobody reads would block; tether refuses it at once instead of hanging the hook. */
    @Test
    void aLogThatIsAFifoWithoutReaderFailsAtOnce() throws Exception {
        Path fifo = temp.resolve("fifo");
        run(temp, "mkfifo", fifo.toString());
        TetherRun run = start(temp, tether("--detach", "--log", fifo.toString(), "true"));
        assertEquals(125, run.awaitExit(Duration.ofSeconds(5)), run.stderr());
        assertEquals("tether: cannot open the log '" + fifo + "': " + ENXIO + "\n", run.stderr());
    }

    /** As env, timeout and every shell do: a text file without "#!" is run by /bin/sh. */
    @Test
    void anExecutableScriptWithoutAShebangRunsWithTheShell() throws Exception {
        Path script = Files.writeString(temp.resolve("script"), "echo \"ran $1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        TetherRun run = start(temp, tether("--", "./script", "it"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("ran it\n", run.stdout());
    }
}

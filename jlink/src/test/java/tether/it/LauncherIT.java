package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime image and its launcher script, as a user's PATH and hooks run it. */
class LauncherIT extends LauncherTest {

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void theLauncherExecsTheJvmSoASignalToItsPidReachesTether() {
        TetherRun run = start(temp, tether("--no-watch", "sleep", "600"));
        Procs.await(() -> comm(run.pid()).equals("java"), DEADLINE, "the launcher to exec java");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
        assertEquals("", run.stderr());
    }

    @Test
    void aSymlinkOnPathFindsTheImage() throws Exception {
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("tether"), LAUNCHER.toAbsolutePath());
        try {
            TetherRun run = start(temp, List.of("sh", "-c", "tether -- sh -c 'echo ok; exit 5'"),
                    env -> env.put("PATH", bin + ":" + env.get("PATH")));
            assertEquals(5, run.awaitExit(DEADLINE), run.stderr());
            assertEquals("ok\n", run.stdout());
        } finally {
            Files.delete(link);
        }
    }

    /** A hook that fires in a worktree removed meanwhile must not start anything. */
    @Test
    void aRemovedWorkingDirectoryStartsNothingAndSaysWhy() throws Exception {
        Path gone = Files.createDirectory(temp.resolve("gone"));
        Path ran = temp.resolve("ran");
        TetherRun run = start(temp, List.of("sh", "-c", "cd gone && rmdir ../gone && exec \"$0\" -- touch " + ran,
                LAUNCHER.toString()));
        assertEquals(125, run.awaitExit(DEADLINE));
        assertTrue(run.stderr().endsWith("tether: cannot determine the working directory: it was removed\n"),
                run.stderr());
        assertTrue(!Files.exists(ran) && !Files.exists(gone));
    }

    /** The JVM logs to stdout by default, which is the command's stdout; the image sends it to stderr. */
    @Test
    void jvmWarningsNeverReachTheCommandsStdout() {
        TetherRun run = start(temp, tether("echo", "only this"), env -> env.put("JDK_JAVA_OPTIONS", "-XX:+UseLargePages"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("only this\n", run.stdout());
        assertTrue(run.stderr().contains("UseLargePages"), run.stderr());
    }

    /** JNA's library comes from the image, not from a copy unpacked into a cache folder at start. */
    @Test
    void jnaLoadsItsLibraryFromTheImage() throws Exception {
        TetherRun run = start(temp, tether("--no-watch", "sleep", "600"));
        Path maps = Path.of("/proc/" + run.pid() + "/maps");
        Procs.await(() -> {
            try {
                return Files.readString(maps).contains("jnidispatch");
            } catch (IOException e) {
                return false;
            }
        }, DEADLINE, "JNA to load");
        List<String> libraries = Files.readAllLines(maps).stream().filter(line -> line.contains("jnidispatch"))
                .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
        Path image = LAUNCHER.toAbsolutePath().getParent().getParent().toRealPath();
        assertEquals(List.of(image.resolve("lib/libjnidispatch.so").toString()), libraries);
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE));
    }
}

package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;

/** The runtime image and its launcher, as a user's PATH and hooks run it. */
class LauncherIT extends LauncherTest {

    static String maps(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/maps"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The JVM runs in the launcher's process, with the image's AOT cache mapped. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "/proc/PID/maps and /proc/PID/comm")
    @Test
    void theJvmRunsInTheLaunchersProcessSoASignalToItsPidReachesTether() throws IOException {
        TetherRun run = start(temp, tether("--no-watch", "sleep", "600"));
        Procs.await(() -> maps(run.pid()).contains("/libjvm.so"), DEADLINE, "the launcher to load the JVM");
        Procs.await(() -> maps(run.pid()).contains("/tether.aot"), DEADLINE, "the JVM to map its AOT cache");
        assertEquals("tether", Files.readString(Path.of("/proc/" + run.pid() + "/comm")).strip());
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
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "HotSpot warns about -XX:+UseLargePages where no huge pages are configured, on Linux")
    @Test
    void jvmWarningsNeverReachTheCommandsStdout() {
        // The launcher keeps JAVA_TOOL_OPTIONS and its kind from tether's JVM, so the option that warns goes on
        // the image's java command line.
        Path java = LAUNCHER.toAbsolutePath().resolveSibling("java");
        TetherRun run = start(temp, List.of(java.toString(), "-XX:+UseLargePages", "-m", "tether.cli/tether.cli.Main",
                "echo", "only this"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("only this\n", run.stdout());
        assertTrue(run.stderr().contains("UseLargePages"), run.stderr());
    }

    /**
     * --version and --help go through the very descriptor that is tether's stdout: in a file the shell
     * writes to around tether, nothing is overwritten or out of order.
     */
    @Test
    void helpAndVersionTakeTheirPlaceInAFileTheShellWritesTo() throws Exception {
        Path file = temp.resolve("out");
        TetherRun run = start(temp, List.of("sh", "-c", "{ echo A; \"$0\" --version; echo B; } > " + file,
                LAUNCHER.toString()));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        List<String> lines = Files.readAllLines(file);
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("A", lines.get(0));
        assertTrue(lines.get(1).startsWith("tether ") && lines.get(2).startsWith("Java "), lines.toString());
        assertEquals("B", lines.get(3));
    }

    /** tether fits in an address space a few times its heap; its JVM used to reserve 2 GB it never touched. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "prlimit --as (util-linux)")
    @Test
    void tetherRunsUnderATightAddressSpaceLimit() {
        TetherRun run = start(temp, List.of("prlimit", "--as=400000000", LAUNCHER.toString(), "echo", "ran"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("ran\n", run.stdout());
    }

    /**
     * A JVM that cannot start is tether's own failure (docs/usage.md, Exit status): 125 and one line on stderr,
     * nothing on stdout (COMMAND's). 200 MB of address space is too little for the JVM's metaspace.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "prlimit --as (util-linux)")
    @Test
    void aJvmThatCannotReserveItsMetaspaceIsOneLineAnd125() throws IOException {
        assertTheJvmCannotStart(200_000_000);
    }

    /** 150 MB is too little for its compressed class space, which HotSpot reports in other words. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "prlimit --as (util-linux)")
    @Test
    void aJvmThatCannotReserveItsClassSpaceIsOneLineAnd125() throws IOException {
        assertTheJvmCannotStart(150_000_000);
    }

    /**
     * A JVM that cannot start leaves no crash report in the working directory, the user's worktree: HotSpot
     * writes it to /tmp, and tether's line says where.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "prlimit --as (util-linux)")
    @Test
    void aJvmThatCannotStartWritesNothingToStdoutNorIntoTheWorktree() throws IOException {
        Path worktree = Files.createDirectory(temp.resolve("wt"));
        TetherRun run = start(worktree, List.of("prlimit", "--as=200000000", LAUNCHER.toString(), "echo", "ran"));
        // prlimit execs the launcher, which runs the JVM in its own process: the report is named after this pid.
        Path report = Path.of("/tmp/tether-hs_err_pid" + run.pid() + ".log");
        try {
            assertEquals(125, run.awaitExit(DEADLINE), run.stderr());
            assertEquals("", run.stdout());
            assertTrue(run.stderr().contains(report.toString()) && Files.exists(report), run.stderr());
            try (var files = Files.list(worktree)) {
                assertEquals(List.of(), files.toList());
            }
        } finally {
            Files.deleteIfExists(report);
        }
    }

    void assertTheJvmCannotStart(long addressSpace) throws IOException {
        Path worktree = Files.createDirectory(temp.resolve("wt"));
        TetherRun run = start(worktree, List.of("prlimit", "--as=" + addressSpace, LAUNCHER.toString(), "--", "true"));
        try {
            assertEquals(125, run.awaitExit(DEADLINE), run.stderr());
            assertEquals("", run.stdout());
            assertTrue(run.stderr().matches("tether: the Java runtime could not start: [^\\n]+\\n"), run.stderr());
            try (var files = Files.list(worktree)) {
                assertEquals(List.of(), files.toList());
            }
        } finally {
            Files.deleteIfExists(Path.of("/tmp/tether-hs_err_pid" + run.pid() + ".log"));
        }
    }

    /** JNA's library comes from the image, not from a copy unpacked into a cache folder at start. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "/proc/PID/maps")
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

    /** dash, as the old sh launcher ran, dropped exported bash functions: their names are not identifiers. */
    @Test
    void anExportedBashFunctionReachesTheCommand() {
        TetherRun run = start(temp, List.of("bash", "-c", "foo(){ echo ok; }; export -f foo; exec \"$0\" -- bash -c foo",
                LAUNCHER.toString()));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("ok\n", run.stdout());
    }

    /**
     * COMMAND's environment, as the kernel gave it to {@code cat}, is the one tether was started with, byte
     * for byte and in order, names no shell accepts and values that are not UTF-8 included, minus the
     * scrubbed names, plus the marker of its tree.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void theEnvironmentReachesTheCommandByteForByte() throws IOException {
        byte[] notUtf8 = {'O', 'D', 'D', '=', (byte) 0xff, (byte) 0xfe, 'x', (byte) 0xc3};
        List<byte[]> given = List.of(ascii(MARK_VARIABLE + "=" + mark), ascii("PATH=/usr/bin:/bin"), ascii("A-B=1"),
                ascii("spring.profiles.active=dev"), notUtf8, ascii("EMPTY="), ascii("WORKTRUNK_SHELL_CWD=/scrubbed"),
                ascii("CLASSPATH=/nowhere"), ascii("LAST=1"));
        List<String> expected = latin1(given.stream().filter(e -> !latin1(e).startsWith("WORKTRUNK_SHELL_CWD=")).toList());
        assertEquals(expected, commandsEnvironment(given));
    }

    /**
     * The launcher removes or sets these for its JVM in its own process only: COMMAND gets each as the user
     * set it, byte for byte and in place.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void theVariablesTheLauncherChangesForItsJvmReachTheCommandAsTheUserSetThem() throws IOException {
        List<byte[]> given = List.of(ascii(MARK_VARIABLE + "=" + mark), ascii("PATH=/usr/bin:/bin"),
                ascii("_JAVA_SR_SIGNUM=12"), ascii("JAVA_TOOL_OPTIONS=-Dx=1"), ascii("TETHER_STDOUT_FD=7"),
                ascii("_JAVA_OPTIONS=-Dy=2"), ascii("MALLOC_ARENA_MAX=2"), ascii("LD_LIBRARY_PATH=/nowhere"),
                ascii("TETHER_STASHED_CLASSPATH=mine"));
        assertEquals(latin1(given), commandsEnvironment(given));
    }

    /**
     * What tether's process looks up with getenv, its JVM's start-up included, as a getenv preloaded in
     * front of libc's records it: the variables the launcher hides have no value there, HotSpot's
     * suspend/resume signal is the launcher's, and COMMAND gets the user's values all the same.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "LD_PRELOAD and libdl; and /proc/self/environ: on macOS COMMAND gets the JVM's "
                    + "environment (docs/platforms.md, macOS)")
    @Test
    void tethersJvmSeesNoneOfTheVariablesTheLauncherHides() throws IOException {
        Path source = Files.writeString(temp.resolve("spy.c"), GETENV_SPY);
        Path spy = temp.resolve("spy.so");
        String cc = System.getenv("CC") == null || System.getenv("CC").isBlank() ? "cc" : System.getenv("CC").strip();
        List<String> compile = new ArrayList<>(List.of(cc.split("\\s+")));
        compile.addAll(List.of("-shared", "-fPIC", "-o", spy.toString(), source.toString(), "-ldl"));
        run(temp, compile.toArray(String[]::new));
        Path log = temp.resolve("getenv.log");
        TetherRun run = start(temp, tetherSh(List.of(), "printf %s \"$JAVA_TOOL_OPTIONS|$_JAVA_OPTIONS|$LD_LIBRARY_PATH|$_JAVA_SR_SIGNUM\""),
                env -> {
                    env.put("LD_PRELOAD", spy.toString());
                    env.put("GETENV_SPY_LOG", log.toString());
                    env.put("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC");
                    env.put("_JAVA_OPTIONS", "-Dx=1");
                    env.put("LD_LIBRARY_PATH", "/nowhere");
                    env.put("_JAVA_SR_SIGNUM", "12");
                });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("-XX:+UseG1GC|-Dx=1|/nowhere|12", run.stdout());
        List<String> lookups = Files.readAllLines(log).stream().filter(line -> line.startsWith(run.pid() + " "))
                .map(line -> line.substring(line.indexOf(' ') + 1)).distinct().toList();
        assertTrue(lookups.containsAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "LD_LIBRARY_PATH", "_JAVA_SR_SIGNUM=64")),
                lookups.toString());
        assertEquals(List.of(), lookups.stream().filter(lookup -> lookup.startsWith("JAVA_TOOL_OPTIONS=")
                || lookup.startsWith("_JAVA_OPTIONS=") || lookup.startsWith("LD_LIBRARY_PATH=")
                || lookup.startsWith("_JAVA_SR_SIGNUM=") && !lookup.equals("_JAVA_SR_SIGNUM=64")).toList());
    }

    /** Appends "PID NAME=VALUE", or "PID NAME" when unset, for each getenv of the process it is preloaded in. */
    static final String GETENV_SPY = """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <unistd.h>
            char *getenv(const char *name) {
                char *(*real)(const char *) = (char *(*)(const char *)) dlsym(RTLD_NEXT, "getenv");
                char *value = real(name);
                const char *log = real("GETENV_SPY_LOG");
                int fd = log == NULL ? -1 : open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
                if (fd >= 0) {
                    dprintf(fd, "%d %s%s%s\\n", (int) getpid(), name, value == NULL ? "" : "=", value == NULL ? "" : value);
                    close(fd);
                }
                return value;
            }
            """;

    /** Meant for the user's Java: tether's JVM must neither print nor act on them, and COMMAND gets them. */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void javasOptionVariablesPassToTheCommandAndTethersJvmIgnoresThem() {
        TetherRun run = start(temp, tetherSh(List.of(), "printf %s \"$JAVA_TOOL_OPTIONS|$_JAVA_OPTIONS|$JDK_JAVA_OPTIONS\""),
                env -> {
                    env.put("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC");
                    env.put("_JAVA_OPTIONS", "-javaagent:/nonexistent.jar");
                    env.put("JDK_JAVA_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=0");
                    env.put("_JAVA_LAUNCHER_DEBUG", "1");
                });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("-XX:+UseG1GC|-javaagent:/nonexistent.jar|-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=0",
                run.stdout());
        assertEquals("", run.stderr());
    }

    /**
     * The rest of what tether's JVM or the java launcher would act on: HotSpot would warn about this
     * _JAVA_SR_SIGNUM, tether would take the user's TETHER_STDOUT_FD for COMMAND's stdout, and the java
     * launcher, which does not run, would load another JVM or set a class path.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void theOtherVariablesTethersJvmWouldActOnPassToTheCommandUntouched() {
        String otherJdk = Path.of(System.getProperty("java.home"), "lib", "server") + ":/elsewhere";
        TetherRun run = start(temp, tetherSh(List.of(),
                "printf %s \"$LD_LIBRARY_PATH|$JDK_ALTERNATE_VM|$CLASSPATH|$_JAVA_SR_SIGNUM|$TETHER_STDOUT_FD\""),
                env -> {
                    env.put("LD_LIBRARY_PATH", otherJdk);
                    env.put("JDK_ALTERNATE_VM", "nonexistent");
                    env.put("CLASSPATH", "/nowhere");
                    env.put("_JAVA_SR_SIGNUM", "5");
                    env.put("TETHER_STDOUT_FD", "7");
                });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(otherJdk + "|nonexistent|/nowhere|5|7", run.stdout());
        assertEquals("", run.stderr());
    }

    /**
     * A detached tether is started through the launcher again, with the environment the first one was
     * started with: its JVM too ignores Java's variables, and its COMMAND gets them as the user set them.
     * Started by a bare name found on PATH, as a hook runs it: the launcher is found all the same.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = READS_COMMAND_FROM_PROC)
    @Test
    void aDetachedTethersCommandGetsJavasVariablesToo() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("wt"));
        Path out = temp.resolve("out");
        Path log = temp.resolve("log");
        TetherRun run = start(dir, List.of("sh", "-c", "exec tether \"$@\"", "sh", "--detach", "--log", log.toString(),
                "--", "sh", "-c", "printf %s \"$JAVA_TOOL_OPTIONS|$_JAVA_SR_SIGNUM\" > " + out + ".tmp; mv " + out
                        + ".tmp " + out + "; sleep 600"), env -> {
                            env.put("PATH", LAUNCHER.toAbsolutePath().getParent() + ":" + env.get("PATH"));
                            env.put("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC");
                            env.put("_JAVA_SR_SIGNUM", "12");
                        });
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("", run.stderr());
        Procs.await(() -> Files.exists(out), DEADLINE, "the detached command to write");
        assertEquals("-XX:+UseG1GC|12", Files.readString(out));
        assertEquals("", Files.readString(log));
        Files.delete(dir);
    }

    /**
     * Starts tether with exactly {@code environment} ({@code env -i} in a script, so that bytes Java would
     * re-encode stay as they are) and returns the environment of its COMMAND, {@code cat}, entry by entry.
     */
    List<String> commandsEnvironment(List<byte[]> environment) throws IOException {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes(ascii("exec env -i"));
        for (byte[] entry : environment) {
            script.writeBytes(ascii(" '"));
            script.writeBytes(entry);
            script.writeBytes(ascii("'"));
        }
        script.writeBytes(ascii(" '" + LAUNCHER.toAbsolutePath() + "' -- cat /proc/self/environ\n"));
        Path file = Files.write(temp.resolve("run.sh"), script.toByteArray());
        TetherRun run = start(temp, List.of("sh", file.toString()));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        List<byte[]> entries = new ArrayList<>();
        byte[] out = run.stdoutBytes();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                entries.add(java.util.Arrays.copyOfRange(out, start, i));
                start = i + 1;
            }
        }
        List<String> seen = new ArrayList<>(latin1(entries));
        assertEquals("TETHER_TREE=" + run.pid() + ":" + temp.toRealPath(), seen.removeLast(),
                "the marker of tether's tree, added last (docs/usage.md, Provenance)");
        return seen;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** ISO-8859-1 maps every byte to one char, so equal strings are equal bytes. */
    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static List<String> latin1(List<byte[]> entries) {
        return entries.stream().map(LauncherIT::latin1).toList();
    }
}

package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import tether.testkit.Commands;
import tether.testkit.Procs;
import tether.testkit.Requirements;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built launcher, {@code jlink/target/tether/bin/tether}, against real processes. Every process a
 * test starts carries {@link #MARK_VARIABLE} in its environment, and whatever is still alive at the end of
 * the test, passed or failed, is killed by pid.
 */
abstract class LauncherTest {

    static final String MARK_VARIABLE = "TETHER_IT_MARK";
    static final Path LAUNCHER = Path.of(System.getProperty("tether.launcher", "target/tether/bin/tether"));

    /** Why a test that checks what COMMAND got byte for byte runs on Linux only. */
    static final String READS_COMMAND_FROM_PROC =
            "the test reads what COMMAND got from /proc (macOS: tether's side, KERN_PROCARGS2, is unit-tested only)";

    /** Loose on purpose: these tests prove behaviour, bench/ measures speed. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    final String mark = UUID.randomUUID().toString();

    @TempDir
    Path temp;

    /** Directories made by {@link #imageOtherUsersCanRun()}, removed after each test. */
    private final List<Path> sharedImages = new ArrayList<>();

    /**
     * A copy of the image in a directory every user can reach, for a test that runs tether as another
     * user: the clone may sit where only its owner can look (under {@code /root}, or in a private
     * {@code mktemp -d}). Returns the directory; the launcher is {@code tether/bin/tether} in it.
     */
    Path imageOtherUsersCanRun() {
        try {
            Path shared = Files.createTempDirectory(Path.of("/tmp"), "tether-it-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            sharedImages.add(shared);
            run(temp, "cp", "-a", LAUNCHER.toAbsolutePath().getParent().getParent().toString(),
                    shared.resolve("tether").toString());
            return shared;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * tether with {@code args}, run by a user the OS holds to file permissions: this user, unless the tests
     * run as root, whom no permission stops; then nobody, through setpriv, running a copy of the image nobody
     * can reach. So a test of what tether does when a permission is refused runs for everyone.
     */
    List<String> withoutPrivileges(String... args) {
        if (!Requirements.isRoot()) {
            return tether(args);
        }
        assumeTrue(Requirements.onPath("setpriv"),
                "needs setpriv (util-linux) on PATH: as root, the test runs tether as nobody, whom permissions stop");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                imageOtherUsersCanRun().resolve("tether/bin/tether").toString()));
        command.addAll(List.of(args));
        return command;
    }

    @AfterEach
    void removeSharedImages() {
        for (Path shared : sharedImages) {
            run(temp, "rm", "-rf", shared.toString());
        }
    }

    @AfterEach
    void killLeftovers() {
        for (int pass = 0; pass < 20; pass++) {
            List<Long> leftovers = Procs.withEnvironment(MARK_VARIABLE + "=" + mark);
            if (leftovers.isEmpty()) {
                return;
            }
            for (long pid : leftovers) {
                Procs.kill(pid, "KILL");
            }
        }
    }

    /** Every live process this test started, with what it runs. */
    List<String> markedAlive() {
        return Procs.alive(Procs.withEnvironment(MARK_VARIABLE + "=" + mark)).stream()
                .map(pid -> pid + " " + Procs.cmdline(pid)).toList();
    }

    /** The launcher followed by {@code args}. */
    static List<String> tether(String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return command;
    }

    TetherRun start(Path directory, List<String> command) {
        return start(directory, command, env -> {});
    }

    /**
     * Runs what follows it in a new session and execs it in place, so the pid stays the command's:
     * {@code setsid(1)} where there is one (util-linux, on Linux; it execs in place unless the caller leads
     * a process group, and a child of the JVM leads none). macOS has no {@code setsid(1)}; there Perl,
     * which macOS ships, calls {@code setsid(2)} and execs the command, which is what {@code setsid(1)}
     * does here.
     */
    static final List<String> NEW_SESSION = Requirements.onPath("setsid") ? List.of("setsid") : List.of("perl",
            "-MPOSIX", "-e",
            "defined POSIX::setsid() or die \"setsid: $!\\n\"; exec { $ARGV[0] } @ARGV or die \"$ARGV[0]: $!\\n\"",
            "--");

    /**
     * In a session of its own, without a controlling terminal: tether hands the terminal it is in the
     * foreground of to COMMAND, and run from an interactive terminal the build is that foreground. It also
     * makes tether the leader of a process group of its own, not a member of the build's.
     */
    static List<String> withoutTerminal(List<String> command) {
        List<String> detached = new ArrayList<>(NEW_SESSION);
        detached.addAll(command);
        return detached;
    }

    TetherRun start(Path directory, List<String> command, Consumer<Map<String, String>> environment) {
        try {
            Path out = Files.createTempFile(temp, "stdout", ".txt");
            Path err = Files.createTempFile(temp, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(withoutTerminal(command)).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put(MARK_VARIABLE, mark);
            environment.accept(builder.environment());
            return new TetherRun(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code command} with exactly {@code environment}, both as UTF-8 bytes whatever this JVM's locale.
     * A JVM converts the arguments and variables it passes with its locale's charset, which in the C locale
     * turns every character that is not ASCII into '?'. So they are written as bytes into a script, which
     * {@code sh} runs and which ends in {@code exec env -i}: the shell adds nothing to the environment
     * (bash would add SHLVL and _), and the pid stays the command's.
     */
    TetherRun startVerbatim(Path directory, List<String> command, Map<String, String> environment) {
        StringBuilder script = new StringBuilder("exec env -i");
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            script.append(' ').append(quoted(variable.getKey() + "=" + variable.getValue()));
        }
        for (String word : command) {
            script.append(' ').append(quoted(word));
        }
        try {
            Path file = Files.createTempFile(temp, "verbatim", ".sh");
            Files.write(file, (script + "\n").getBytes(UTF_8));
            return start(directory, List.of("sh", file.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's environment and the test's mark, the environment every process of a test starts with. */
    Map<String, String> markedEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.put(MARK_VARIABLE, mark);
        return environment;
    }

    /** {@code word} in single quotes, for sh: every byte inside stands for itself. */
    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A TCP port no one listens on now, for a server a test starts. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A shell command as tether's COMMAND: {@code sh -c SCRIPT}. */
    static List<String> tetherSh(List<String> options, String script) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--", "sh", "-c", script));
        return tether(args.toArray(String[]::new));
    }

    /**
     * A script for a tree of {@code sleepers} sleeping processes under a waiting shell; every pid,
     * the shell's last, is appended to {@code pids}.
     */
    static String tree(Path pids, int sleepers) {
        return "i=0; while [ $i -lt " + sleepers + " ]; do sleep 600 & echo $! >> " + pids
                + "; i=$((i+1)); done; echo $$ >> " + pids + "; wait";
    }

    /** Waits until {@code file} has {@code count} lines of pids and returns them. */
    static List<Long> awaitPids(Path file, int count) {
        Procs.await(() -> lines(file).size() >= count, DEADLINE, count + " pids in " + file);
        List<Long> pids = lines(file).stream().map(Long::parseLong).toList();
        Procs.await(() -> pids.stream().allMatch(Procs::isAlive), DEADLINE, "pids to be alive");
        return pids;
    }

    /** As {@link #awaitPids(Path, int)}, but fails at once, with tether's status and stderr, if tether exits first. */
    static List<Long> awaitPids(TetherRun run, Path file, int count) {
        Procs.await(() -> lines(file).size() >= count || !run.process.isAlive(), DEADLINE, count + " pids in " + file);
        if (lines(file).size() < count) {
            throw new AssertionError("tether exited with " + run.process.exitValue() + " before " + count + " pids in "
                    + file + "; stderr: " + run.stderr());
        }
        return awaitPids(file, count);
    }

    /**
     * Waits until tether, started with {@code -v}, has told its sentinel COMMAND's group: it does so right
     * after the spawn, before it logs "spawned". A SIGKILL before that falls in the window
     * docs/guarantees.md names, where the sentinel cannot know the group yet; a busy machine can hold tether
     * there long enough for a test's SIGKILL to land in it.
     */
    static void awaitSentinelTold(TetherRun run) {
        Procs.await(() -> run.stderr().contains("tether: INFO: spawned "), DEADLINE,
                () -> "tether to log that it spawned COMMAND; stderr: " + run.stderr());
    }

    /** tether exited 0, as after a removal, and none of {@code pids} is alive. */
    static void assertTornDown(TetherRun run, List<Long> pids) {
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(pids));
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList() : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    static void run(Path directory, String... command) {
        Commands.ok(directory, command);
    }

    /**
     * {@code source}, a C program, compiled into {@code temp} as {@code name}, by the compiler that built the
     * image's launcher ({@code $CC}, or {@code cc}): the build needs one, so a failure here is the test's.
     */
    Path compiledC(String name, String source) {
        Path file = temp.resolve(name + ".c");
        Path program = temp.resolve(name);
        try {
            Files.writeString(file, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cc = System.getenv().getOrDefault("CC", "cc");
        Commands compiled = Commands.run(temp, List.of("sh", "-c", cc + " -O2 -o \"$0\" \"$1\"", program.toString(),
                file.toString()));
        assertEquals(0, compiled.status(), "compiling " + name + ".c: " + compiled.output());
        return program;
    }

    /** A git repository at {@code temp/repo} with one commit, and a worktree of it at {@code temp/NAME}. */
    Path worktree(String name) {
        return worktree(name, name);
    }

    /** As {@link #worktree(String)}, on branch {@code branch}, for a directory name no branch may have. */
    Path worktree(String directory, String branch) {
        Path repo = temp.resolve("repo");
        if (!Files.exists(repo)) {
            run(temp, "git", "init", "-q", "-b", "main", repo.toString());
            run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q",
                    "--allow-empty", "-m", "init");
        }
        Path worktree = temp.resolve(directory);
        run(repo, "git", "worktree", "add", "-q", "-b", branch, worktree.toString());
        return worktree;
    }
}

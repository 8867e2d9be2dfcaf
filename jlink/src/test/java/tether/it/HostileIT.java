package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.testkit.Commands;

/**
 * Conditions a dev-server supervisor meets in the wild and must survive: file names that are not text in
 * the locale tether runs in, a tree that forks faster than a scan, every signal a user or the system can
 * send, a member tether may not signal, a flood of orphans, and a PATH that names nothing.
 */
class HostileIT extends LauncherTest {

    // ---- 1. Paths are bytes, in every locale ----

    /**
     * A file name and the locale tether runs in. The JVM running these tests may itself be in the C
     * locale, where it cannot hold such a name in a String: names are made and used through a shell, from
     * their {@code printf} form, and stand as {@link #NAME} in the arguments of {@link #startNamed}.
     */
    enum Name {
        UTF8_IN_C_LOCALE("caf\\303\\251", false),
        INVALID_UTF8_IN_C_LOCALE("caf\\351", false),
        INVALID_UTF8_IN_UTF8_LOCALE("caf\\351", true);

        final String printf;
        final boolean utf8Locale;

        Name(String printf, boolean utf8Locale) {
            this.printf = printf;
            this.utf8Locale = utf8Locale;
        }

        /** The name's bytes, decoded from its {@code printf} form by Java, in ASCII only. */
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < printf.length(); i++) {
                char c = printf.charAt(i);
                if (c == '\\') {
                    out.write(Integer.parseInt(printf.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.write(c);
                }
            }
            return out.toByteArray();
        }

        boolean validUtf8() {
            try {
                UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes()));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        void locale(Map<String, String> environment) {
            environment.remove("LANG");
            environment.remove("LC_ALL");
            environment.remove("LC_CTYPE");
            if (utf8Locale) {
                environment.put("LC_ALL", "C.UTF-8");
            }
        }
    }

    /** Stands for the name's bytes in the arguments of {@link #startNamed}. */
    static final String NAME = "@NAME@";

    /**
     * Runs {@code command} in {@code directory} (relative to {@code temp}), with {@link #NAME} in either
     * replaced by the name's bytes, in the name's locale; the shell execs, so the run's pid is tether's.
     */
    TetherRun startNamed(Name name, String directory, List<String> command) {
        List<String> shell = new ArrayList<>(List.of("sh", "-c", "n=$(printf \"$0\"); for a do shift; case $a in *"
                + NAME + "*) a=${a%%" + NAME + "*}$n${a#*" + NAME + "};; esac; set -- \"$@\" \"$a\"; done; "
                + "cd \"$1\" && shift && exec \"$@\"", name.printf, directory));
        shell.addAll(command);
        return start(temp, shell, name::locale);
    }

    /** Runs {@code script} in {@code temp} with {@code $n} set to the name; its stdout, or null if it failed. */
    String inTemp(Name name, String script) {
        try {
            Process process = new ProcessBuilder("sh", "-c", "n=$(printf \"$0\"); " + script, name.printf)
                    .directory(temp.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            return process.waitFor() == 0 ? new String(out, UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A name that is not valid UTF-8 is Linux's alone: macOS's APFS refuses to create it (EILSEQ), and
     * tether there takes its arguments as the JVM's UTF-8 strings (docs/platforms.md, macOS).
     */
    static void assumeTheNameCanExistHere(Name name) {
        assumeTrue(name.validUtf8() || OS.LINUX.isCurrentOs(),
                "a file name that is not valid UTF-8: APFS refuses it, and tether gets arguments as UTF-8 strings");
    }

    void mkdirNamed(Name name) {
        assertEquals("", inTemp(name, "mkdir \"$n\""));
    }

    /** Removed as they were made, through a shell: the JVM may not be able to spell them in its locale. */
    @AfterEach
    void removeNamedFiles() {
        for (Name name : Name.values()) {
            inTemp(name, "rm -rf \"$n\" \"$n.log\"");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "UTF8_IN_C_LOCALE, true", "INVALID_UTF8_IN_C_LOCALE, true", "INVALID_UTF8_IN_UTF8_LOCALE, true",
        "UTF8_IN_C_LOCALE, false", "INVALID_UTF8_IN_C_LOCALE, false", "INVALID_UTF8_IN_UTF8_LOCALE, false"})
    void removingADirectoryWithANonTextNameTearsDown(Name name, boolean detach) {
        assumeTheNameCanExistHere(name);
        mkdirNamed(name);
        Path pids = temp.resolve("pids");
        List<String> options = detach ? List.of("--detach", "--grace", "30s") : List.of("--grace", "30s");
        TetherRun run = startNamed(name, NAME, tetherSh(options, tree(pids, 2)));
        List<Long> tree = new ArrayList<>(detach ? awaitPids(pids, 3) : awaitPids(run, pids, 3));
        if (detach) {
            assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
            tree.add(Procs.parentOf(tree.getLast())); // the detached tether
        }
        assertEquals("", inTemp(name, "rm -rf \"$n\""));
        if (!detach) {
            assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        }
        Procs.awaitDead(tree, DEADLINE);
    }

    @ParameterizedTest
    @EnumSource(Name.class)
    void dashCRunsTheCommandInADirectoryWithANonTextName(Name name) throws Exception {
        assumeTheNameCanExistHere(name);
        mkdirNamed(name);
        Path pwd = temp.resolve("pwd");
        TetherRun run = startNamed(name, ".", tether("-C", NAME, "--no-watch", "--", "sh", "-c", "pwd -P > " + pwd));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes((temp.toRealPath() + "/").getBytes(UTF_8));
        expected.writeBytes(name.bytes());
        expected.write('\n');
        assertEquals(Arrays.toString(expected.toByteArray()), Arrays.toString(Files.readAllBytes(pwd)));
    }

    @ParameterizedTest
    @EnumSource(Name.class)
    void watchingADirectoryWithANonTextNameFromElsewhere(Name name) {
        assumeTheNameCanExistHere(name);
        mkdirNamed(name);
        Path pids = temp.resolve("pids");
        TetherRun run = startNamed(name, ".", tetherSh(List.of("--watch", temp + "/" + NAME, "--grace", "30s"),
                tree(pids, 1)));
        List<Long> tree = awaitPids(run, pids, 2);
        assertEquals("", inTemp(name, "rm -rf \"$n\""));
        assertTornDown(run, tree);
    }

    @ParameterizedTest
    @EnumSource(Name.class)
    void aLogWithANonTextNameIsCreatedWithThoseBytes(Name name) throws Exception {
        assumeTheNameCanExistHere(name);
        TetherRun run = startNamed(name, ".", tether("--detach", "--log", temp + "/" + NAME + ".log", "--no-watch",
                "--", "sh", "-c", "echo logged"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        Procs.await(() -> "logged\n".equals(inTemp(name, "cat \"$n.log\"")), DEADLINE,
                "COMMAND's output in the log named by the very bytes given");
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(1, files.filter(file -> file.getFileName().toString().endsWith(".log")).count(),
                    "one log, under those bytes and no other spelling");
        }
    }

    static Stream<Arguments> missingPathOptions() {
        return Stream.of(Name.values()).flatMap(name -> Stream.of(
                Arguments.of(name, List.of("-C", NAME)),
                Arguments.of(name, List.of("--watch", NAME)),
                Arguments.of(name, List.of("--detach", "--log", NAME + "/tether.log"))));
    }

    @ParameterizedTest
    @MethodSource("missingPathOptions")
    void aMissingPathWithANonTextNameIsOneLineAnd125(Name name, List<String> options) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--", "true"));
        TetherRun run = startNamed(name, ".", tether(args.toArray(String[]::new)));
        assertEquals(125, run.awaitExit(DEADLINE), run.stderr());
        List<String> lines = run.stderr().lines().toList();
        assertEquals(1, lines.size(), run.stderr());
        assertTrue(lines.getFirst().startsWith("tether: "), run.stderr());
        assertFalse(lines.getFirst().contains("internal error"), run.stderr());
        assertFalse(lines.getFirst().contains("Exception"), run.stderr());
        assertTrue(lines.getFirst().contains("No such file or directory"), run.stderr());
    }

    /**
     * Whatever tether makes of a default watch it cannot set up, it must not run on silently watching
     * nothing: it exits 125, or says so on stderr even with -q, or the watch works and a removal tears down.
     */
    @ParameterizedTest
    @EnumSource(Name.class)
    void aWatchThatCannotBeSetUpIsNeverSilentlyDropped(Name name) {
        assumeTheNameCanExistHere(name);
        mkdirNamed(name);
        Path pids = temp.resolve("pids");
        TetherRun run = startNamed(name, NAME, tetherSh(List.of("-q", "--poll", "10ms", "--grace", "30s"),
                tree(pids, 1)));
        Procs.await(() -> !run.process.isAlive() || lines(pids).size() >= 2, DEADLINE, "tether to start or fail");
        if (!run.process.isAlive()) {
            assertEquals(125, run.process.exitValue(), run.stderr());
            assertFalse(run.stderr().isEmpty());
            return;
        }
        List<Long> tree = awaitPids(pids, 2);
        assertEquals("", inTemp(name, "rm -rf \"$n\""));
        if (Procs.holdsFor(run.process::isAlive, Duration.ofSeconds(2))) {
            assertFalse(run.stderr().isBlank(), "still running after the removal, and said nothing with -q");
        } else {
            assertTornDown(run, tree);
        }
    }

    // ---- 2. A tree that forks faster than a scan ----

    /**
     * An escapee in its own session that ignores SIGTERM and forks a new session every 2 ms: a single
     * SIGKILL to the members of one scan misses the ones forked since. Five runs, since it is a race.
     */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "setsid(1), and the escapees, orphaned, are reached through PR_SET_CHILD_SUBREAPER")
    @Test
    void anEscapeeThatKeepsForkingIsKilled() {
        String script = "trap '' TERM; setsid sh -c 'trap \"\" TERM; while :; do setsid sleep 77.123 & sleep 0.002; "
                + "done' & sleep 0.3; exit 0";
        for (int i = 1; i <= 5; i++) {
            TetherRun run = start(temp, tetherSh(List.of("--grace", "300ms"), script));
            int status = run.awaitExit(DEADLINE);
            String attempt = "run " + i + ", tether exited with " + status + ": ";
            Procs.await(() -> markedAlive().isEmpty(), Duration.ofSeconds(2),
                    () -> attempt + "the tree to be dead; alive: " + markedAlive() + "; stderr: " + run.stderr());
            assertEquals(0, status, attempt + run.stderr());
        }
    }

    // ---- 3. Signals ----

    /** Every signal that would otherwise end the JVM (or make it print a thread dump) is a teardown. */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "Linux signal numbers: SIGPWR, SIGSTKFLT and real-time signals do not exist on macOS; "
                    + "and setsid(1)")
    @ParameterizedTest
    @CsvSource({"ALRM, 14", "VTALRM, 26", "PROF, 27", "XCPU, 24", "IO, 29", "PWR, 30", "SYS, 31", "STKFLT, 16",
        "TRAP, 5", "ABRT, 6", "QUIT, 3", "34, 34", "40, 40", "63, 63"})
    void aSignalThatWouldEndTetherTearsTheTreeDown(String signal, int number) {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--no-watch"), "sleep 600 & echo $! >> " + pids
                + "; setsid sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait"));
        List<Long> tree = awaitPids(pids, 3);
        Procs.kill(run.pid(), signal);
        assertEquals(128 + number, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(List.of(), Procs.alive(tree), "alive when tether exited, of " + tree + " (the setsid sleep second)");
        assertEquals("", run.stdout());
    }

    @Test
    void usr1AndUsr2AreForwardedToTheCommandsGroup() {
        Path seen = temp.resolve("seen");
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tetherSh(List.of("--no-watch"), "trap 'echo usr1 >> " + seen + "' USR1; "
                + "trap 'echo usr2 >> " + seen + "' USR2; echo $$ > " + pids + "; while :; do sleep 0.05; done"));
        awaitPids(pids, 1);
        Procs.kill(run.pid(), "USR1");
        Procs.await(() -> lines(seen).equals(List.of("usr1")), DEADLINE, "COMMAND to get SIGUSR1; " + run.stderr());
        Procs.kill(run.pid(), "USR2");
        Procs.await(() -> lines(seen).equals(List.of("usr1", "usr2")), DEADLINE, "COMMAND to get SIGUSR2");
        assertTrue(run.process.isAlive(), "a forwarded signal is no teardown");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
    }

    // ---- 4. A member tether may not signal ----

    /**
     * tether runs as nobody, and one member of its group becomes root through a setuid copy of setpriv:
     * kill fails with EPERM for that one, which must not abort the teardown of the others.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "setpriv (util-linux), and a setuid copy of it")
    @RequiresRoot("makes a setuid-root copy of setpriv, and runs tether as nobody")
    @Test
    void aMemberTetherMayNotSignalDoesNotAbortTheTeardown() throws Exception {
        Path shared = imageOtherUsersCanRun();
        long rootSleep = -1;
        try {
            Path image = shared.resolve("tether");
            Path setuid = shared.resolve("setpriv");
            run(temp, "sh", "-c", "cp \"$(command -v setpriv)\" \"$0\" && chmod 4755 \"$0\"", setuid.toString());
            Path work = Files.createDirectory(shared.resolve("work"));
            run(temp, "chmod", "777", work.toString());
            List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            assumeTrue("0\n".equals(Commands.run(work, Stream.concat(asNobody.stream(), Stream.of(setuid.toString(),
                    "--reuid=0", "--regid=0", "--clear-groups", "id", "-ru")).toList()).output()),
                    "a setuid program runs as root here (no nosuid mount, no no_new_privs)");

            Path pids = work.resolve("pids");
            List<String> command = new ArrayList<>(asNobody);
            command.addAll(List.of(image.resolve("bin/tether").toString(), "--grace", "300ms", "--no-watch", "--",
                    "sh", "-c", setuid + " --reuid=0 --regid=0 --clear-groups sleep 600 & echo $! >> " + pids
                            + "; sleep 600 & echo $! >> " + pids + "; echo $$ >> " + pids + "; wait"));
            TetherRun run = start(work, command);
            List<Long> tree = awaitPids(pids, 3);
            rootSleep = tree.getFirst();
            long member = rootSleep;
            // Its pid is written when the shell forks it, before setpriv has made it root.
            Procs.await(() -> Procs.realUid(member) == 0, DEADLINE, "the setuid member to run with real uid 0");
            Procs.kill(run.pid(), "TERM");
            assertEquals(143, run.awaitExit(Duration.ofSeconds(5)), run.stderr());
            assertEquals(List.of(), Procs.alive(tree.subList(1, 3)), "the members tether may signal");
            Pattern named = Pattern.compile(".*\\b" + rootSleep + "\\b.*Operation not permitted.*"
                    + "|.*Operation not permitted.*\\b" + rootSleep + "\\b.*");
            assertTrue(run.stderr().lines().anyMatch(line -> named.matcher(line).matches()),
                    "a line naming " + rootSleep + " and the error: " + run.stderr());
            assertFalse(run.stderr().contains("internal error"), run.stderr());
        } finally {
            if (rootSleep > 0) {
                Procs.kill(rootSleep, "KILL");
            }
        }
    }


    // ---- 5. Orphans are reaped when SIGCHLD says so ----

    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "PR_SET_CHILD_SUBREAPER: orphans are reparented to tether (to launchd on macOS)")
    @Test
    void orphansAreReapedOnSigchldNotAtTheNextPoll() {
        Path ready = temp.resolve("ready");
        TetherRun run = start(temp, tetherSh(List.of("--poll", "30s", "--no-watch"),
                "i=0; while [ $i -lt 400 ]; do (true &); i=$((i+1)); done; echo ready > " + ready + "; sleep 600"));
        Procs.await(() -> lines(ready).equals(List.of("ready")), DEADLINE, "400 orphans");
        Procs.await(() -> Procs.zombieChildren(run.pid()).isEmpty(), Duration.ofSeconds(3),
                "tether to reap its orphans well before its 30 s poll");
        Procs.kill(run.pid(), "TERM");
        assertEquals(143, run.awaitExit(DEADLINE), run.stderr());
    }

    /** The leader's zombie is kept on purpose until the sweep ends; that must not stop the reaping of others. */
    @EnabledOnOs(value = OS.LINUX,
            disabledReason = "PR_SET_CHILD_SUBREAPER: orphans are reparented to tether (to launchd on macOS)")
    @Test
    void orphansAreReapedDuringTheGraceAfterTheCommandExited() {
        Path leader = temp.resolve("leader");
        Path stubborn = temp.resolve("stubborn");
        TetherRun run = start(temp, tetherSh(List.of("--grace", "20s"), "(trap '' TERM; exec sleep 600) & echo $! > "
                + stubborn + "; i=0; while [ $i -lt 50 ]; do (sleep 0.2 &); i=$((i+1)); done; echo $$ > " + leader
                + "; exit 0"));
        long sleeper = awaitPids(run, stubborn, 1).getFirst();
        Procs.await(() -> lines(leader).size() == 1, DEADLINE, "COMMAND to start its orphans");
        long command = Long.parseLong(lines(leader).getFirst());
        Procs.await(() -> !Procs.isAlive(command), DEADLINE, "COMMAND to exit");
        Procs.await(() -> Procs.zombieChildren(run.pid()).stream().allMatch(zombie -> zombie == command),
                Duration.ofSeconds(3), "tether to reap its orphans while the teardown waits out the grace");
        assertTrue(Procs.isAlive(sleeper), "still within the grace");
        Procs.kill(run.pid(), "TERM");
        run.awaitExit(Duration.ofSeconds(20).plus(DEADLINE));
        assertFalse(Procs.isAlive(sleeper));
    }

    // ---- 6. The sentinel ----

    /** The sentinel is a shell: with COMMAND's PATH naming nothing, a bare {@code sleep} in it would fail. */
    @Test
    void theSentinelHonoursTheGraceWhenPathIsWrong() {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, tether("-v", "--grace", "3s", "--", "/bin/sh", "-c",
                "trap '' TERM; echo $$ > " + pids + "; while :; do /bin/sleep 0.05; done"),
                env -> env.put("PATH", "/nonexistent"));
        long command = awaitPids(pids, 1).getFirst();
        awaitSentinelTold(run);
        Procs.kill(run.pid(), "KILL");
        assertTrue(Procs.holdsFor(() -> Procs.isAlive(command), Duration.ofSeconds(1)),
                "COMMAND ignores SIGTERM: only SIGKILL at the grace deadline may end it");
        Procs.awaitDead(List.of(command), DEADLINE);
    }
}

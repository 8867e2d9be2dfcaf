package tether.unix.linux;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tether.api.ProcessSurvey;
import tether.api.Resident;
import tether.api.TreeSignal;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.unix.Natives;

/** The survey against real processes started here, in directories the test makes and removes. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the survey reads /proc")
class LinuxSurveyTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        for (Process process : started) {
            process.destroyForcibly();
        }
    }

    Process start(Path directory, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().put("TETHER_TREE", "4242:/w/shop");
        Process process = builder.start();
        started.add(process);
        Procs.await(() -> !Procs.cmdline(process.pid()).isEmpty(), DEADLINE, "the program to start");
        return process;
    }

    static Resident find(ProcessSurvey survey, long pid) throws Exception {
        return survey.residents().stream().filter(r -> r.pid() == pid).findFirst().orElse(null);
    }

    /** npm renames itself to "npm run dev" and pads the rest of its arguments' area with NULs. */
    @Test
    void aRenamedProcessShowsItsTitleWithoutThePadding() {
        assertEquals(List.of("npm run dev"), words("npm run dev\0\0\0\0\0\0"));
        assertEquals(List.of("sleep", "600"), words("sleep\0" + "600\0"));
        assertEquals(List.of("a", "", "b"), words("a\0\0b\0"));
    }

    private static List<String> words(String cmdline) {
        return LinuxSurvey.commandLine(cmdline.getBytes(UTF_8)).stream().map(word -> new String(word, UTF_8)).toList();
    }

    @Test
    void everyProcessWithItsParentStartAndUser() throws Exception {
        Natives.configure();
        LinuxSurvey survey = new LinuxSurvey();
        Process sleeper = start(temp, "sleep", "600");
        Resident found = find(survey, sleeper.pid());
        assertEquals(ProcessHandle.current().pid(), found.parent());
        assertEquals(ProcessHandle.of(sleeper.pid()).orElseThrow().info().startInstant().orElseThrow(), found.started());
        assertTrue(found.mine());
        assertFalse(found.foreground(), "started without a terminal");
        assertTrue(survey.residents().stream().anyMatch(r -> r.pid() == 1), "other users' processes too, for their links");
    }

    @Test
    void whereaboutsAreTheDirectoryAndTheMarker() throws Exception {
        Natives.configure();
        LinuxSurvey survey = new LinuxSurvey();
        // wörk, made, entered and removed from its bytes by a shell: this JVM may run in the C locale, where it
        // can name no such file (nor delete it with the temporary directory).
        String work = "w\\303\\266rk";
        Process sleeper = start(temp, "sh", "-c", "mkdir \"$(printf \"$0\")\" && cd \"$(printf \"$0\")\" && exec sleep 600",
                work);
        try {
            Procs.await(() -> Procs.cmdline(sleeper.pid()).equals("sleep 600"), DEADLINE, "the shell to enter wörk");
            ProcessSurvey.Whereabouts where = survey.whereabouts(find(survey, sleeper.pid()));
            assertArrayEquals((temp.toRealPath() + "/w\u00c3\u00b6rk").getBytes(ISO_8859_1), where.directory());
            assertFalse(where.directoryDeleted());
            assertEquals("TETHER_TREE=4242:/w/shop", new String(where.marker(), UTF_8));
            assertEquals(List.of("sleep", "600"), survey.command(find(survey, sleeper.pid())).stream()
                    .map(word -> new String(word, UTF_8)).toList());
            assertTrue(survey.memory(find(survey, sleeper.pid())) > 0);
        } finally {
            sleeper.destroyForcibly().waitFor();
            new ProcessBuilder("sh", "-c", "rm -rf \"$(printf \"$0\")\"", work).directory(temp.toFile()).start().waitFor();
        }
    }

    @Test
    void aRemovedDirectoryIsToldFromOneNamedDeleted() throws Exception {
        Natives.configure();
        LinuxSurvey survey = new LinuxSurvey();
        Path removed = Files.createDirectory(temp.resolve("gone"));
        Path named = Files.createDirectory(temp.resolve("kept (deleted)"));
        Process inRemoved = start(removed, "sleep", "600");
        Process inNamed = start(named, "sleep", "600");
        Files.delete(removed);

        ProcessSurvey.Whereabouts gone = survey.whereabouts(find(survey, inRemoved.pid()));
        assertTrue(gone.directoryDeleted());
        assertArrayEquals(removed.toAbsolutePath().toString().getBytes(UTF_8), gone.directory(), "where it was");
        ProcessSurvey.Whereabouts kept = survey.whereabouts(find(survey, inNamed.pid()));
        assertFalse(kept.directoryDeleted());
        assertArrayEquals(named.toRealPath().toString().getBytes(UTF_8), kept.directory());
    }

    @Test
    void theListeningPortsOfTheProcessesAsked() throws Exception {
        Natives.configure();
        LinuxSurvey survey = new LinuxSurvey();
        Path ready = temp.resolve("port");
        Process server = start(temp, "python3", "-c", "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0));"
                + " s.listen(); open('" + ready + "','w').write(str(s.getsockname()[1])); time.sleep(600)");
        Procs.await(() -> !LinuxCensusTest.read(ready).isEmpty(), DEADLINE, "the server to listen");
        int port = Integer.parseInt(Files.readString(ready));
        Process sleeper = start(temp, "sleep", "600");
        assertArrayEquals(new int[] {port}, survey.ports(List.of(find(survey, server.pid()), find(survey, sleeper.pid()))));
        assertArrayEquals(new int[0], survey.ports(List.of(find(survey, sleeper.pid()))));
    }

    @Test
    void aSignalReachesTheSameProcessOnlyNeverOneThatGotItsPid() throws Exception {
        Natives.configure();
        LinuxSurvey survey = new LinuxSurvey();
        Process sleeper = start(temp, "sleep", "600");
        Resident found = find(survey, sleeper.pid());
        Resident stranger = new Resident(found.pid(), found.parent(), found.group(), found.started().minusSeconds(1), true,
                false);
        assertNull(survey.signal(stranger, TreeSignal.KILL));
        assertTrue(Procs.holdsFor(() -> sleeper.isAlive(), Duration.ofMillis(100)), "not signalled");
        assertNull(survey.signal(found, TreeSignal.KILL));
        assertTrue(sleeper.waitFor(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertNull(survey.signal(found, TreeSignal.KILL), "gone is no error");
    }

    /** The innermost cgroup a tether named on a process's cgroup2 path, where the mount shows it. */
    @Test
    void aProcessesTetherCgroupIsTheInnermostATetherMade() {
        byte[] mountinfo = ("40 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
                + "41 31 0:39 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n").getBytes(UTF_8);
        ProcessSurvey.TetherCgroup nested = LinuxSurvey.tetherCgroup(("1:cpu:/\n"
                + "0::/user.slice/tether-12-34/inner/tether-56-78/web\n").getBytes(UTF_8), mountinfo);
        assertEquals("/sys/fs/cgroup/unified/user.slice/tether-12-34/inner/tether-56-78",
                new String(nested.directory(), UTF_8));
        assertEquals(56, nested.tether());
        ProcessSurvey.TetherCgroup outer = LinuxSurvey.tetherCgroup(
                "0::/user.slice/tether-12-34/inner/tether-56-78/web\n".getBytes(UTF_8), mountinfo, 12);
        assertEquals("/sys/fs/cgroup/unified/user.slice/tether-12-34", new String(outer.directory(), UTF_8),
                "the cgroup tether 12 made, around the one a tether of its tree made");
        assertNull(LinuxSurvey.tetherCgroup("0::/user.slice/tether-12-34\n".getBytes(UTF_8), mountinfo, 56),
                "none tether 56 made");
        assertNull(LinuxSurvey.tetherCgroup("0::/user.slice/tether-x-1/tethered-2-3\n".getBytes(UTF_8), mountinfo),
                "named so by no tether");
        assertNull(LinuxSurvey.tetherCgroup("0::/\n".getBytes(UTF_8), mountinfo));
        assertNull(LinuxSurvey.tetherCgroup("1:cpu:/tether-1-2\n".getBytes(UTF_8), mountinfo), "cgroup v1's");
    }

    /**
     * A process in a cgroup named as a tether names its cgroups is found in it, and the cgroup lists it. Root
     * makes the cgroup here; the cgroup test of the unprivileged path is tether's own (CgroupIT).
     */
    @RequiresRoot("makes a cgroup in the cgroup2 hierarchy")
    @Test
    void aProcessInATethersCgroupIsFoundThere() throws Exception {
        Natives.configure();
        CgroupPlacement.Running system = new CgroupPlacement.Running();
        byte[] own = CgroupPlacement.directory(system.mountinfo(), CgroupPlacement.ownCgroup(system.ownCgroups()));
        Path cgroup = Path.of(new String(own, UTF_8), "tether-" + (Integer.MAX_VALUE - 1) + "-" + System.nanoTime());
        Files.createDirectory(cgroup);
        try {
            Process sleeper = start(temp, "sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec sleep 600");
            Procs.await(() -> Procs.cmdline(sleeper.pid()).equals("sleep 600"), DEADLINE, "the shell to enter the cgroup");
            LinuxSurvey survey = new LinuxSurvey();
            ProcessSurvey.TetherCgroup found = survey.tetherCgroup(find(survey, sleeper.pid()));
            assertEquals(cgroup.toString(), new String(found.directory(), UTF_8));
            assertEquals(Integer.MAX_VALUE - 1, found.tether());
            assertArrayEquals(new long[] {sleeper.pid()}, survey.members(found));
            assertNull(survey.tetherCgroup(find(survey, ProcessHandle.current().pid())));
            sleeper.destroyForcibly().waitFor();
        } finally {
            Procs.await(() -> {
                try {
                    Files.deleteIfExists(cgroup);
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, DEADLINE, "the cgroup to be removed once empty");
        }
    }

    @Test
    void memoryIsTheProportionalSetSizeOrElseTheResidentOne() {
        assertEquals(252 * 1024L, ProcMemory.pss("556da91a4000-7ffdc7ad6000 ---p 00000000 00:00 0  [rollup]\n"
                + "Rss:                1780 kB\nPss:                 252 kB\nPss_Dirty:           112 kB\n"));
        assertEquals(-1, ProcMemory.pss(""));
        assertTrue(ProcMemory.resident("765 438 409 5 0 123 0\n") >= 438 * 4096L);
        assertEquals(-1, ProcMemory.resident(""));
    }
}

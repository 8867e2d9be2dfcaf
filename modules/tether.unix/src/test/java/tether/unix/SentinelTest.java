package tether.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.unix.linux.Cgroup;
import tether.unix.linux.CgroupPlacement;
import tether.unix.linux.ProcSelf;

class SentinelTest {

    static List<byte[]> argv(String... words) {
        return List.of(words).stream().map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** What a census reads from {@code /proc/PID/cmdline} of a real sentinel is recognised as one. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the sentinel's arguments from /proc")
    @Test
    void aCensusTellsTheSentinelByItsArguments() throws Exception {
        Natives.configure();
        Sentinel sentinel = Sentinel.start(CLibrary.SIGTERM, Duration.ofSeconds(1), null, null);
        try {
            // posix_spawn returns once the new program replaced the old one, a moment before the kernel
            // has laid out its arguments, which read as empty until then.
            Path file = Path.of("/proc/" + sentinel.pid() + "/cmdline");
            Procs.await(() -> cmdline(file).length > 0, Duration.ofSeconds(10), "the sentinel's arguments");
            assertTrue(Sentinel.isSentinel(ProcSelf.splitOnNul(cmdline(file))),
                    new String(cmdline(file), StandardCharsets.UTF_8));
        } finally {
            sentinel.abandon();
        }
        Procs.awaitDead(List.of((long) sentinel.pid()), Duration.ofSeconds(10));
    }

    static byte[] cmdline(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    /**
     * With COMMAND's marker and the tree's cgroup, the sentinel is told apart as well, and its arguments hold
     * neither: a {@code pkill -f} of the worktree's path, or of {@code tether-}, aimed at other processes,
     * must not end the sentinel with them.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the sentinel's arguments from /proc")
    @Test
    void aSentinelGivenTheMarkerAndACgroupIsToldApartAndItsArgumentsHoldNeither() throws Exception {
        Natives.configure();
        // A cgroup that is never made: the sentinel, let go, finds nothing there to end or remove.
        byte[] cgroup = ("/sys/fs/cgroup/sentinel-test-" + UUID.randomUUID() + "/tether-1-2").getBytes(StandardCharsets.UTF_8);
        Sentinel sentinel = Sentinel.start(CLibrary.SIGTERM, Duration.ofSeconds(1),
                "TETHER_TREE=1:/w/a b".getBytes(StandardCharsets.UTF_8), cgroup);
        try {
            Path file = Path.of("/proc/" + sentinel.pid() + "/cmdline");
            Procs.await(() -> cmdline(file).length > 0, Duration.ofSeconds(10), "the sentinel's arguments");
            List<byte[]> argv = ProcSelf.splitOnNul(cmdline(file));
            assertTrue(Sentinel.isSentinel(argv), new String(cmdline(file), StandardCharsets.UTF_8));
            String arguments = new String(cmdline(file), StandardCharsets.UTF_8);
            assertFalse(arguments.contains("/w/a b"), arguments);
            assertFalse(arguments.contains("tether-1-2"), arguments);
            assertEquals(3, argv.size(), arguments);
        } finally {
            sentinel.abandon();
        }
        Procs.awaitDead(List.of((long) sentinel.pid()), Duration.ofSeconds(10));
    }

    /**
     * tether killed before it could tell the sentinel COMMAND's group (the pipe ends before a group id): the
     * cgroup is what the sentinel has, and enough. A member that ignores SIGTERM is killed at the grace
     * deadline, and the cgroup, one inside it included, is removed. A process of the tree that moved itself
     * out of the cgroup is ended too, by the marker it carries.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "cgroup v2 is Linux's")
    @RequiresRoot("makes cgroups in the cgroup2 hierarchy, which only root may here")
    @Test
    void theSentinelEndsTheCgroupWhenTetherDiesBeforeItCouldTellTheGroup() throws Exception {
        endsTheCgroup(false);
    }

    /**
     * The same with a sentinel that was killed ({@code killall sh}) and replaced: the replacement is told the
     * cgroup, and the marker, as the first one was.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "cgroup v2 is Linux's")
    @RequiresRoot("makes cgroups in the cgroup2 hierarchy, which only root may here")
    @Test
    void aReplacedSentinelEndsTheCgroupToo() throws Exception {
        endsTheCgroup(true);
    }

    private static void endsTheCgroup(boolean replaced) throws Exception {
        Natives.configure();
        CgroupPlacement.Running system = new CgroupPlacement.Running();
        Path parent = Files.createDirectory(Path.of(new String(CgroupPlacement.directory(system.mountinfo(),
                CgroupPlacement.ownCgroup(system.ownCgroups())), StandardCharsets.UTF_8), "sentinel-test-" + UUID.randomUUID()));
        Cgroup cgroup = Cgroup.inside(parent.toString().getBytes(StandardCharsets.UTF_8));
        Path path = Path.of(new String(cgroup.path(), StandardCharsets.UTF_8));
        String marker = "TETHER_TREE=1:/sentinel-test/" + UUID.randomUUID();
        Process member = null;
        Process movedOut = null;
        try {
            Sentinel sentinel = Sentinel.start(CLibrary.SIGTERM, Duration.ofMillis(300),
                    marker.getBytes(StandardCharsets.UTF_8), cgroup.path());
            if (replaced) {
                Sentinel first = sentinel;
                CLibrary.kill(first.pid(), CLibrary.SIGKILL);
                // Reaped here as tether's Reaper would, before it starts the replacement.
                assertEquals(0, CLibrary.waitid(CLibrary.P_PID, first.pid(),
                        new com.sun.jna.Memory(UnixPlatform.current().siginfoSize()), CLibrary.WEXITED));
                sentinel = first.replacement();
            }
            cgroup.create();
            Files.createDirectory(path.resolve("inner"));
            member = new ProcessBuilder("sh", "-c", "echo $$ > '" + path.resolve("inner/cgroup.procs")
                    + "' && trap '' TERM && exec sh -c 'trap \"\" TERM; sleep 600'").start();
            long pid = member.pid();
            ProcessBuilder outside = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 600");
            outside.environment().put("TETHER_TREE", marker.substring("TETHER_TREE=".length()));
            movedOut = outside.start();
            long escapee = movedOut.pid();
            Procs.await(() -> java.util.Arrays.stream(cgroup.members()).anyMatch(p -> p == pid), Duration.ofSeconds(10),
                    "the member in the cgroup");
            assertTrue(java.util.Arrays.stream(cgroup.members()).noneMatch(p -> p == escapee));
            long start = System.nanoTime();
            sentinel.abandon();
            Procs.awaitDead(List.of(pid, escapee), Duration.ofSeconds(10));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 300, "SIGTERM is ignored, so only the kill at the grace deadline ends it: " + millis);
            Procs.await(() -> !Files.exists(path), Duration.ofSeconds(10), "the sentinel to remove " + path);
            Procs.awaitDead(List.of((long) sentinel.pid()), Duration.ofSeconds(10));
        } finally {
            for (Process started : java.util.Arrays.asList(member, movedOut)) {
                if (started != null) {
                    started.destroyForcibly();
                }
            }
            cgroup.remove();
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void anyOtherShellIsNotTheSentinel() {
        assertFalse(Sentinel.isSentinel(argv("/bin/sh", "-c", "sleep 600")));
        assertFalse(Sentinel.isSentinel(argv("/bin/sh")));
        assertFalse(Sentinel.isSentinel(argv("/bin/bash", "-c", "exec >/dev/null 2>&1; alive() {")));
    }
}

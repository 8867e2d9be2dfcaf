package tether.unix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
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
        Sentinel sentinel = Sentinel.start(CLibrary.SIGTERM, Duration.ofSeconds(1), null);
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
     * With COMMAND's marker, the sentinel is told apart as well, and its arguments do not hold the marker: a
     * {@code pkill -f} of the worktree's path, aimed at its processes, must not end the sentinel with them.
     */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the sentinel's arguments from /proc")
    @Test
    void aSentinelGivenTheMarkerIsToldApartAndItsArgumentsDoNotHoldIt() throws Exception {
        Natives.configure();
        Sentinel sentinel = Sentinel.start(CLibrary.SIGTERM, Duration.ofSeconds(1),
                "TETHER_TREE=1:/w/a b".getBytes(StandardCharsets.UTF_8));
        try {
            Path file = Path.of("/proc/" + sentinel.pid() + "/cmdline");
            Procs.await(() -> cmdline(file).length > 0, Duration.ofSeconds(10), "the sentinel's arguments");
            List<byte[]> argv = ProcSelf.splitOnNul(cmdline(file));
            assertTrue(Sentinel.isSentinel(argv), new String(cmdline(file), StandardCharsets.UTF_8));
            assertFalse(new String(cmdline(file), StandardCharsets.UTF_8).contains("/w/a b"),
                    new String(cmdline(file), StandardCharsets.UTF_8));
        } finally {
            sentinel.abandon();
        }
        Procs.awaitDead(List.of((long) sentinel.pid()), Duration.ofSeconds(10));
    }

    @Test
    void anyOtherShellIsNotTheSentinel() {
        assertFalse(Sentinel.isSentinel(argv("/bin/sh", "-c", "sleep 600")));
        assertFalse(Sentinel.isSentinel(argv("/bin/sh")));
        assertFalse(Sentinel.isSentinel(argv("/bin/bash", "-c", "exec >/dev/null 2>&1; alive() {")));
    }
}

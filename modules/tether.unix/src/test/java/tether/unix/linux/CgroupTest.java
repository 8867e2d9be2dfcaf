package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresRoot;
import tether.unix.Natives;

/** A tree's cgroup against the kernel's cgroup2, in a cgroup of the test's own inside this JVM's. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "cgroup v2 is Linux's")
@RequiresRoot("makes cgroups in the cgroup2 hierarchy, which only root may here")
class CgroupTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    Path parent;
    Cgroup cgroup;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void makeTheTestsOwnCgroup() throws IOException {
        Natives.configure();
        CgroupPlacement.Running system = new CgroupPlacement.Running();
        byte[] own = CgroupPlacement.directory(system.mountinfo(), CgroupPlacement.ownCgroup(system.ownCgroups()));
        assertNotNull(own, "this JVM's cgroup in the cgroup2 file system");
        parent = Files.createDirectory(Path.of(new String(own, UTF_8), "cgroup-test-" + UUID.randomUUID()));
        cgroup = Cgroup.inside(parent.toString().getBytes(UTF_8));
    }

    /** Whatever a test left in its cgroup is killed, and every cgroup it made removed. */
    @AfterEach
    void removeEverything() throws IOException {
        if (Files.exists(path())) {
            cgroup.killAll();
            Procs.await(() -> !cgroup.isPopulated(), DEADLINE, "the test's cgroup to empty");
        }
        for (Process process : started) {
            process.destroyForcibly();
        }
        Procs.awaitDead(started.stream().map(Process::pid).toList(), DEADLINE);
        assertEquals(null, cgroup.remove());
        Files.deleteIfExists(parent);
    }

    /** A shell that moves itself into {@code directory} and then runs {@code script} there. */
    long startIn(Path directory, String script) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", "echo $$ > '" + directory.resolve("cgroup.procs")
                + "' && " + script).start();
        started.add(process);
        Procs.await(() -> Arrays.stream(cgroup.members()).anyMatch(pid -> pid == process.pid()), DEADLINE,
                "pid " + process.pid() + " in " + directory);
        return process.pid();
    }

    Path path() {
        return Path.of(new String(cgroup.path(), UTF_8));
    }

    @Test
    void itIsNamedForThisProcessAndRemovedAgain() throws IOException {
        cgroup.create();
        assertEquals("tether-" + ProcessHandle.current().pid() + "-" + Cgroup.ownStartTicks(),
                path().getFileName().toString());
        assertTrue(Files.exists(path().resolve("cgroup.kill")));
        assertEquals(0, cgroup.members().length);
        assertFalse(cgroup.isPopulated());
        IOException again = assertThrows(IOException.class, () -> Cgroup.inside(parent.toString().getBytes(UTF_8)).create());
        assertEquals("cannot make " + path() + ": File exists", again.getMessage());
        assertEquals(null, cgroup.remove());
        assertFalse(Files.exists(path()));
    }

    @Test
    void itsMembersAreThoseOfTheCgroupsInsideToo() throws IOException {
        cgroup.create();
        long top = startIn(path(), "exec sleep 600");
        Path inner = Files.createDirectory(path().resolve("inner"));
        long deeper = startIn(inner, "exec sleep 600");
        assertEquals(List.of(top, deeper), Arrays.stream(cgroup.members()).asLongStream().boxed().toList());
        assertTrue(cgroup.isPopulated());
    }

    /** cgroup.kill ends a tree that keeps forking, and cgroup.events wakes the wait as the last one goes. */
    @Test
    void oneKillEndsATreeThatForksInATightLoopAndTheWaitEndsWithIt() throws IOException {
        cgroup.create();
        Path inner = Files.createDirectory(path().resolve("inner"));
        startIn(path(), "trap '' TERM; while :; do sleep 600 & done");
        startIn(inner, "exec sleep 600");
        Procs.await(() -> cgroup.members().length > 20, DEADLINE, "the loop to fork");
        assertTrue(cgroup.killAll());
        long start = System.nanoTime();
        while (cgroup.isPopulated() && System.nanoTime() - start < DEADLINE.toNanos()) {
            cgroup.awaitChange(DEADLINE);
        }
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertFalse(cgroup.isPopulated(), "still populated after " + waited + " ms: " + Arrays.toString(cgroup.members()));
        assertTrue(waited < DEADLINE.toMillis() / 2, "woken by cgroup.events, not at the timeout: " + waited + " ms");
        assertEquals(0, cgroup.members().length);
        assertEquals(null, cgroup.remove(), "the cgroup inside is removed first");
        assertFalse(Files.exists(path()));
    }

    @Test
    void aWakeEndsTheWaitEarly() throws IOException {
        cgroup.create();
        startIn(path(), "exec sleep 600");
        cgroup.isPopulated();
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            cgroup.wake();
        });
        long start = System.nanoTime();
        waker.start();
        cgroup.awaitChange(DEADLINE);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited < DEADLINE.toMillis() / 2, "woken after " + waited + " ms");
        assertTrue(cgroup.isPopulated());
    }
}

package tether.unix.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tether.api.RunningTether;
import tether.testkit.Procs;
import tether.testkit.RequiresUtf8FileNames;

/**
 * The census against real processes: a copy of {@code sh} named {@code tether} in a directory laid out as an
 * image stands in for a tether, so that its arguments, directory and tree are whatever the test gives it.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the census reads /proc")
class LinuxCensusTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** {@code sh -c script} run as {@code IMAGE/bin/tether} in {@code directory}. */
    Process fakeTether(Path image, Path directory, String script) throws Exception {
        Path bin = Files.createDirectories(image.resolve("bin"));
        Files.createDirectories(image.resolve("lib"));
        if (!Files.exists(image.resolve("lib/modules"))) {
            Files.writeString(image.resolve("lib/modules"), "");
            Files.copy(Path.of("/bin/sh"), bin.resolve("tether"));
        }
        Process process = new ProcessBuilder(bin.resolve("tether").toString(), "-c", script).directory(directory.toFile())
                .start();
        started.add(process);
        return process;
    }

    RunningTether find(long pid) throws Exception {
        return new LinuxCensus().tethers().stream().filter(t -> t.pid() == pid).findFirst().orElse(null);
    }

    @RequiresUtf8FileNames("makes its working directory, 'wörk', through java.nio")
    @Test
    void aLauncherOfAnImageIsFoundWithItsArgumentsDirectoryTreeAndPorts() throws Exception {
        Path work = Files.createDirectory(temp.resolve("wörk"));
        Path ready = temp.resolve("ready");
        String server = "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); "
                + "open('" + ready + "','w').write(str(s.getsockname()[1])); time.sleep(600)";
        Process tether = fakeTether(temp.resolve("image"), work,
                "sleep 600 & python3 -c \"" + server + "\" & wait");
        Procs.await(() -> Files.exists(ready) && !read(ready).isEmpty(), DEADLINE, "the server to listen");
        int port = Integer.parseInt(read(ready));

        RunningTether found = find(tether.pid());
        assertTrue(found != null, "the census finds the launcher");
        assertEquals(List.of("-c"), found.arguments().stream().limit(1).map(a -> new String(a, UTF_8)).toList());
        assertArrayEquals(work.toRealPath().toString().getBytes(UTF_8), found.directory());
        assertEquals(2, found.processes(), "sleep and python, the launcher not counted");
        assertArrayEquals(new int[] {port}, found.ports());
        assertTrue(found.memory() > 0, "the tree's memory: " + found.memory());
        assertEquals(ProcessHandle.of(tether.pid()).orElseThrow().info().startInstant().orElseThrow(), found.started());
        assertTrue(found.environment().stream().anyMatch(e -> new String(e, UTF_8).startsWith("PATH=")));
    }

    @Test
    void aProgramNamedTetherOutsideAnImageIsNotATether() throws Exception {
        Path notAnImage = temp.resolve("plain");
        Files.createDirectories(notAnImage.resolve("bin"));
        Files.copy(Path.of("/bin/sh"), notAnImage.resolve("bin/tether"));
        Process process = new ProcessBuilder(notAnImage.resolve("bin/tether").toString(), "-c", "sleep 600").start();
        started.add(process);
        Procs.await(() -> Procs.childrenOf(process.pid()).size() == 1, DEADLINE, "its child");
        assertEquals(null, find(process.pid()));
    }

    @Test
    void askToEndSendsSigtermAndAnEndedOrReusedPidIsNotRunning() throws Exception {
        Process tether = fakeTether(temp.resolve("image"), temp, "trap 'kill $!; exit 7' TERM; sleep 600 & wait");
        Procs.await(() -> Procs.childrenOf(tether.pid()).size() == 1, DEADLINE, "the trap to be set and sleep to start");
        RunningTether found = find(tether.pid());
        LinuxCensus census = new LinuxCensus();
        RunningTether reused = new RunningTether(found.pid(), found.started().minusSeconds(5), List.of(), List.of(),
                found.directory(), 0, new int[0], -1, null);
        assertTrue(census.isRunning(found));
        assertFalse(census.isRunning(reused), "the same pid with another start time is another process");
        assertFalse(census.askToEnd(reused));

        assertTrue(census.askToEnd(found));
        assertTrue(tether.waitFor(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(7, tether.exitValue(), "SIGTERM, which the trap turned into 7");
        assertFalse(census.isRunning(found));
        assertFalse(census.askToEnd(found));
    }

    /** A tether whose parent does not reap it has ended: a zombie is not running. */
    @Test
    void aZombieIsNotRunning() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & exec sleep 600").start();
        started.add(parent);
        Procs.await(() -> Procs.childrenOf(parent.pid()).size() == 1, DEADLINE, "the child");
        long child = Procs.childrenOf(parent.pid()).getFirst();
        Instant start = ProcessHandle.of(child).orElseThrow().info().startInstant().orElseThrow();
        RunningTether tether = new RunningTether(child, start, List.of(), List.of(), new byte[] {'/'}, 0, new int[0], -1, null);
        LinuxCensus census = new LinuxCensus();
        Procs.await(() -> Procs.stat(child).startsWith("Z "), DEADLINE, "the child to become a zombie");
        assertFalse(census.isRunning(tether));
    }

    @Test
    void listeningPortsComeFromSocketsInListenStateOnly() throws Exception {
        Path tcp = temp.resolve("tcp");
        Files.writeString(tcp, """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:1435 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0
                   1: 0100007F:1436 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0 100 0 0 10 0
                   2: 0100007F:1435 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 -1
                """);
        Path tcp6 = temp.resolve("tcp6");
        Files.writeString(tcp6, """
                  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1 0 100 0 0 10 0
                """);
        Map<String, Integer> sockets = new HashMap<>();
        ListeningPorts.listening(tcp.toString(), sockets);
        ListeningPorts.listening(tcp6.toString(), sockets);
        assertEquals(Map.of("111", 0x1435, "222", 0x1436, "444", 0x1F90), sockets, "333 is connected, not listening");
    }

    @Test
    void canonicalResolvesLinksAndNormalizesWhatIsGone() throws Exception {
        Path real = Files.createDirectory(temp.resolve("real"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real);
        LinuxCensus census = new LinuxCensus();
        assertEquals(real.toRealPath().toString(), new String(census.canonical((link + "/./").getBytes(UTF_8)), UTF_8));
        assertEquals(temp.toRealPath() + "/gone", new String(census.canonical((link + "/../gone//").getBytes(UTF_8)), UTF_8));
    }

    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

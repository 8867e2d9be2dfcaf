package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;
import tether.testkit.RequiresTools;

/**
 * {@code --ready}: a hook that returns once its server is up, and fails visibly when it cannot come up. The
 * servers are small Python programs; the timings asserted are bounds that a tether which did not wait, or waited
 * for the wrong thing, would break (bench/ready.md measures them). On macOS the ports come from libproc.
 */
@EnabledOnOs(value = {OS.LINUX, OS.MAC}, disabledReason = "Windows refuses --ready port (docs/platforms.md)")
@RequiresTools(value = "python3", why = "the servers are small Python programs")
class ReadyIT extends LauncherTest {

    static final String LIST_READS_PROC = "--list reads /proc; macOS says it cannot yet";

    /** Listens on 127.0.0.1:PORT (argument 1) after DELAY seconds (argument 2), and answers any request with 200. */
    static final String LISTEN_LATER = """
            import socket, sys, time
            time.sleep(float(sys.argv[2]))
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", int(sys.argv[1])))
            s.listen()
            print("listening on", sys.argv[1], flush=True)
            while True:
                c, _ = s.accept()
                c.recv(4096)
                c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")
                c.close()
            """;

    /** An HTTP server on 127.0.0.1:PORT that answers 503 for its first SECONDS (argument 2), then 200. */
    static final String STARTING_UP = """
            import http.server, sys, time
            start = time.time()
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(503 if time.time() - start < float(sys.argv[2]) else 200)
                    self.end_headers()
                    self.wfile.write(b"x" * 100000)
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """;

    static final Pattern READY_LINE = Pattern.compile("tether: INFO: ready after ([0-9.]+)(ms|s): (.*)\n");

    Path worktree;

    @BeforeEach
    void worktree() throws IOException {
        worktree = Files.createDirectory(temp.resolve("wt"));
    }

    Path script(String name, String text) throws IOException {
        return Files.writeString(temp.resolve(name), text);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The wait the ready line reports, in seconds. */
    static double reportedWait(String stderr) {
        Matcher line = READY_LINE.matcher(stderr);
        assertTrue(line.find(), "no ready line in: " + stderr);
        return Double.parseDouble(line.group(1)) / (line.group(2).equals("ms") ? 1000 : 1);
    }

    /** The pid a command wrote to {@code file} with {@code echo $$}. */
    static long pidIn(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** Removes the worktree, log and all, which ends the tethers watching it. */
    void removeWorktree() {
        run(temp, "rm", "-rf", worktree.toString());
    }

    @Test
    void detachReturnsOnceTheServerListensAfterASecond() throws Exception {
        int port = freePort();
        Path server = script("later.py", LISTEN_LATER);
        long start = System.nanoTime();
        TetherRun run = start(worktree, tether("--detach", "--log", "dev.log", "--ready", "port", "--", "python3",
                server.toString(), String.valueOf(port), "1"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(answers(port), "tether returned before the server listened");
        assertTrue(millis >= 1000, "returned after " + millis + " ms, before the server could listen");
        double waited = reportedWait(run.stderr());
        assertTrue(waited >= 1.0 && waited < 2.5, "ready after " + waited + " s, for a server that listens after 1 s");
        assertTrue(run.stderr().endsWith(": port " + port + " listening\n"), run.stderr());
        System.out.println("ready after " + waited + " s reported, " + millis + " ms for the hook");
        removeWorktree();
        Procs.await(() -> !answers(port), DEADLINE, "the server to go with its worktree");
    }

    /** Two worktrees, one port: the second server dies at once, and its hook says so with the server's own words. */
    @Test
    void aServerThatCannotTakeItsPortFailsWithItsStatusAndItsLastLines() throws Exception {
        int port = freePort();
        try (ServerSocket other = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            TetherRun run = start(worktree, tether("--detach", "--log", ".dev-server.log", "--ready", "port:" + port,
                    "--", "python3", "-m", "http.server", String.valueOf(port), "--bind", "127.0.0.1"));
            assertEquals(1, run.awaitExit(DEADLINE), "python's status; " + run.stderr());
            List<String> lines = run.stderr().lines().toList();
            assertEquals("tether: python3 exited with status 1 before it was ready; the last lines COMMAND wrote to "
                    + "'.dev-server.log':", lines.getFirst());
            assertTrue(lines.getLast().matches("  OSError: \\[Errno [0-9]+\\] Address already in use"), run.stderr());
            assertTrue(lines.size() <= 11, "at most ten of the log's lines: " + run.stderr());
            Procs.await(() -> markedAlive().isEmpty(), DEADLINE, "the detached tether to exit");
        }
    }

    /**
     * The port answers, but not from this tree: another worktree's server holds it. Something answering on the
     * port must not make this tree ready.
     */
    @Test
    void aPortAnotherTreeListensOnIsNotThisTreesReadiness() throws Exception {
        int port = freePort();
        try (ServerSocket other = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            TetherRun run = start(worktree, tether("--detach", "--ready", "port:" + port, "--ready-timeout", "1s",
                    "--", "sleep", "600"));
            assertEquals(124, run.awaitExit(DEADLINE), run.stderr());
            assertTrue(answers(port), "the other server still answers");
            assertTrue(run.stderr().startsWith("tether: not ready after 1s: port " + port + " not listening; the tree "
                    + "was torn down"), run.stderr());
        }
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = "date +%s%N, GNU date's nanoseconds, for when COMMAND started")
    @Test
    void aServerThatNeverListensTimesOutWith124AndItsTreeIsGone() throws Exception {
        int port = freePort();
        Path started = temp.resolve("started");
        Path pid = temp.resolve("pid");
        TetherRun run = start(worktree, tetherSh(List.of("--detach", "--log", "dev.log", "--ready", "port:" + port,
                "--ready-timeout", "2s"), "date +%s%N > " + started + "; echo $$ > " + pid
                + "; echo warming up; exec python3 -c 'import time; time.sleep(600)'"));
        assertEquals(124, run.awaitExit(DEADLINE), run.stderr());
        long returned = System.currentTimeMillis();
        long server = pidIn(pid);
        assertFalse(Procs.isAlive(server), "the server outlived the timeout");
        long millis = returned - Long.parseLong(Files.readString(started).strip()) / 1_000_000;
        assertTrue(millis >= 2000, "returned " + millis + " ms after COMMAND started, before the 2 s timeout");
        assertTrue(millis < 3000, "returned " + millis + " ms after COMMAND started, for a 2 s timeout");
        System.out.println("timed out " + (millis - 2000) + " ms after the 2 s timeout, counted from COMMAND's start");
        assertEquals("""
                tether: not ready after 2s: port %d not listening; the tree was torn down; the last lines COMMAND \
                wrote to 'dev.log':
                  warming up
                """.formatted(port), run.stderr());
        Procs.await(() -> markedAlive().isEmpty(), DEADLINE, "the detached tether to exit");
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = LIST_READS_PROC)
    @Test
    void keepUnreadyLeavesTheTreeRunningAndListShowsItNotReady() throws Exception {
        int port = freePort();
        Path pid = temp.resolve("pid");
        TetherRun run = start(worktree, tetherSh(List.of("--detach", "--ready", "port:" + port, "--ready-timeout",
                "1s", "--keep-unready"), "echo $$ > " + pid + "; exec sleep 600"));
        assertEquals(124, run.awaitExit(DEADLINE), run.stderr());
        long server = awaitPids(pid, 1).getFirst();
        assertTrue(Procs.isAlive(server), "--keep-unready: the tree runs on");
        assertTrue(run.stderr().startsWith("tether: not ready after 1s: port " + port + " not listening; left running "
                + "as pid " + Procs.parentOf(server) + " (give --log FILE to keep COMMAND's output)\n"),
                run.stderr());
        TetherRun list = start(worktree, tether("--list", "--json", worktree.toString()));
        assertEquals(0, list.awaitExit(DEADLINE), list.stderr());
        assertTrue(list.stdout().contains("\"ready_conditions\": [\"port:" + port + "\"], \"ready\": false,"),
                list.stdout());
        removeWorktree();
        Procs.awaitDead(List.of(server), DEADLINE);
    }

    @EnabledOnOs(value = OS.LINUX, disabledReason = LIST_READS_PROC)
    @Test
    void listShowsWhetherEachTethersConditionHolds() throws Exception {
        int port = freePort();
        Path server = script("later.py", LISTEN_LATER);
        TetherRun run = start(worktree, tether("--detach", "--ready", "port:" + port, "--ready",
                "http://localhost:" + port + "/", "--", "python3", server.toString(), String.valueOf(port), "0"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        TetherRun json = start(worktree, tether("--list", "--json", worktree.toString()));
        assertEquals(0, json.awaitExit(DEADLINE), json.stderr());
        assertTrue(json.stdout().contains("\"ready_conditions\": [\"port:" + port + "\", \"http://localhost:" + port
                + "/\"], \"ready\": true,"), json.stdout());
        TetherRun table = start(worktree, tether("--list", worktree.toString()));
        assertEquals(0, table.awaitExit(DEADLINE), table.stderr());
        List<String> lines = table.stdout().lines().toList();
        int column = lines.getFirst().indexOf("READY");
        assertTrue(column > 0, table.stdout());
        assertTrue(lines.get(1).startsWith("yes", column), table.stdout());
        removeWorktree();
        Procs.await(() -> !answers(port), DEADLINE, "the server to go with its worktree");
    }

    /** Vite's line, coloured as on a terminal: the pattern matches the text a person reads. */
    @Test
    void aLineInTheLogMakesItReadyAndTethersOwnLinesDoNot() throws Exception {
        // ➜ as its UTF-8 bytes: the test's own arguments are ASCII, whatever the locale passes on.
        String line = "printf '  \\033[32m\\342\\236\\234\\033[39m  \\033[1mLocal\\033[22m:   http://localhost:5173/\\n'";
        long start = System.nanoTime();
        // -v writes "spawned sh -c '... Local: ...'" to the log first: tether's own line must not count.
        TetherRun run = start(worktree, tetherSh(List.of("-v", "--detach", "--log", "dev.log", "--ready",
                "output:Local: +http://"), "echo starting; sleep 1; " + line + "; exec sleep 600"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1000, "ready after " + millis + " ms, before the line was written");
        assertTrue(run.stderr().endsWith(": printed '➜  Local:   http://localhost:5173/'\n"), run.stderr());
        removeWorktree();
    }

    @Test
    void outputWithDetachNeedsALogItCanRead() {
        TetherRun run = start(worktree, tether("--detach", "--ready", "output:x", "--", "true"));
        assertEquals(125, run.awaitExit(DEADLINE));
        assertEquals("tether: --ready output: with --detach needs --log (the detached tether reads COMMAND's output "
                + "from its FILE) (see 'tether --help')\n", run.stderr());
        // The detached tether finds it cannot read the log, and reports so before it starts anything.
        TetherRun device = start(worktree, tether("--detach", "--log", "/dev/null", "--ready", "output:x", "--",
                "sh", "-c", "echo started > started"));
        assertEquals(125, device.awaitExit(DEADLINE));
        assertEquals("tether: cannot wait for a line in the log '/dev/null': not a regular file\n", device.stderr());
        assertFalse(Files.exists(worktree.resolve("started")), "nothing started");
    }

    /**
     * Without --detach, stdout and stderr pass through pipes tether reads: every byte arrives as written, in
     * binary, across chunk boundaries, before and after the line, and the descriptor of --ready-fd gets the line.
     * COMMAND lives on for a second after its line, as a server does: one that exits first was never ready.
     */
    @Test
    void withoutDetachTheOutputPassesThroughByteForByte() throws Exception {
        byte[] before = new byte[200_000];
        byte[] after = new byte[300_000];
        byte[] errors = new byte[150_000];
        Random random = new Random(23);
        random.nextBytes(before);
        random.nextBytes(after);
        random.nextBytes(errors);
        Files.write(temp.resolve("before"), before);
        Files.write(temp.resolve("after"), after);
        Files.write(temp.resolve("errors"), errors);
        Path readyFd = temp.resolve("ready-fd");
        String command = LAUNCHER.toAbsolutePath() + " --ready 'output:^ready [0-9]+$' --ready-fd 3 -- sh -c 'cat "
                + temp.resolve("before") + "; echo; echo ready 42; cat " + temp.resolve("errors") + " >&2; cat "
                + temp.resolve("after") + "; [ -t 1 ] || printf no-terminal; sleep 1' 3>" + readyFd;
        TetherRun run = start(worktree, List.of("sh", "-c", command));
        assertEquals(0, run.awaitExit(DEADLINE), "tether's status");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(before);
        expected.write("\nready 42\n".getBytes(UTF_8));
        expected.write(after);
        expected.write("no-terminal".getBytes(UTF_8));
        assertArrayEquals(expected.toByteArray(), run.stdoutBytes());
        assertArrayEquals(errors, Files.readAllBytes(run.stderr));
        assertTrue(Files.readString(readyFd).matches("ready after [0-9.]+m?s: printed 'ready 42'\n"),
                Files.readString(readyFd));
    }

    /** stdout and stderr into one file share one pipe: the file gets them in the order COMMAND wrote them. */
    @Test
    void stdoutAndStderrIntoOneFileKeepTheirOrder() throws Exception {
        StringBuilder script = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            script.append("echo out").append(i).append("; echo err").append(i).append(" >&2; ");
            expected.append("out").append(i).append("\nerr").append(i).append('\n');
        }
        Path out = temp.resolve("both.txt");
        TetherRun run = start(worktree, List.of("sh", "-c", LAUNCHER.toAbsolutePath() + " --ready output:err199 -- sh -c '"
                + script + "' > " + out + " 2>&1"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertEquals(expected.toString(), Files.readString(out));
    }

    @Test
    void withoutDetachATimeoutTearsDownWith124AndClosesTheFdWithoutALine() throws Exception {
        int port = freePort();
        Path pid = temp.resolve("pid");
        Path readyFd = temp.resolve("ready-fd");
        TetherRun run = start(worktree, List.of("sh", "-c", LAUNCHER.toAbsolutePath() + " --ready port:" + port
                + " --ready-timeout 1s --ready-fd 3 -- sh -c 'echo $$ > " + pid + "; exec sleep 600' 3>" + readyFd));
        assertEquals(124, run.awaitExit(DEADLINE), run.stderr());
        assertFalse(Procs.isAlive(pidIn(pid)));
        assertEquals("tether: not ready after 1s: port " + port + " not listening; the tree was torn down\n",
                run.stderr());
        assertEquals("", Files.readString(readyFd));
    }

    /** Without --detach, --keep-unready only stops the waiting: tether warns and ends as it would have. */
    @Test
    void withoutDetachKeepUnreadyWarnsAndEndsWithCommandsStatus() throws Exception {
        int port = freePort();
        TetherRun run = start(worktree, tether("--ready", "port:" + port, "--ready-timeout", "500ms", "--keep-unready",
                "--", "sh", "-c", "sleep 1.5; exit 3"));
        assertEquals(3, run.awaitExit(DEADLINE), run.stderr());
        assertEquals("tether: WARN: not ready after 500ms: port " + port + " not listening; left running\n",
                run.stderr());
    }

    /** tether does not come between COMMAND and a terminal, so a line on one cannot be waited for. */
    @EnabledOnOs(value = OS.LINUX, disabledReason = "script -qfec (util-linux's options)")
    @RequiresTools(value = "script", why = "gives COMMAND a real terminal")
    @Test
    void outputOnATerminalIsRefused() {
        TetherRun run = start(worktree, List.of("script", "-qfec", LAUNCHER.toAbsolutePath()
                + " --ready output:x -- true; echo status:$?", "/dev/null"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        assertTrue(run.stdout().contains("its stdout and stderr are a terminal, and tether does not come between a "
                + "program and its terminal"), run.stdout());
        assertTrue(run.stdout().contains("status:125"), run.stdout());
    }

    /** A server that answers 503 while it warms up is not ready until it answers below 500. */
    @Test
    void aUrlAnswering503ThenIsReadyOn200() throws Exception {
        int port = freePort();
        Path server = script("starting.py", STARTING_UP);
        long start = System.nanoTime();
        TetherRun run = start(worktree, tether("--detach", "--log", "dev.log", "--ready", "http://localhost:" + port
                + "/health", "--", "python3", server.toString(), String.valueOf(port), "1.5"));
        assertEquals(0, run.awaitExit(DEADLINE), run.stderr());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1500, "ready after " + millis + " ms, while the server still answered 503");
        assertTrue(run.stderr().endsWith(": http://localhost:" + port + "/health answered 200\n"), run.stderr());
        String log = Files.readString(worktree.resolve("dev.log"));
        assertTrue(log.contains("\"GET /health HTTP/1.1\" 503"), "asked while it answered 503: " + log);
        assertTrue(log.contains("\"GET /health HTTP/1.1\" 200"), log);
        assertFalse(log.contains("Traceback"), "the probe read the whole answer before it hung up: " + log);
        removeWorktree();
        Procs.await(() -> !answers(port), DEADLINE, "the server to go with its worktree");
    }

    @Test
    void readyOptionsWithoutReadyAreRefused() {
        for (List<String> args : List.of(List.of("--ready-timeout", "5s"), List.of("--keep-unready"),
                List.of("--ready-fd", "3"))) {
            TetherRun run = start(worktree, tetherSh(args, "true"));
            assertEquals(125, run.awaitExit(DEADLINE), args.toString());
            assertEquals("tether: " + args.getFirst() + " goes with --ready (see 'tether --help')\n", run.stderr());
        }
        TetherRun bad = start(worktree, tether("--ready", "tcp:80", "--", "true"));
        assertEquals(125, bad.awaitExit(DEADLINE));
        assertEquals("tether: invalid --ready 'tcp:80': expected port, port:N, an http:// URL or output:REGEX (see "
                + "'tether --help')\n", bad.stderr());
        TetherRun closed = start(worktree, tether("--ready", "port", "--ready-fd", "7", "--", "true"));
        assertEquals(125, closed.awaitExit(DEADLINE));
        assertEquals("tether: cannot use --ready-fd '7': Bad file descriptor\n", closed.stderr());
    }
}

package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tether on a real terminal: {@code script} gives it a pty whose foreground group is tether's, as in an
 * interactive shell. Bytes written to {@code script}'s stdin are typed on that terminal.
 */
class TerminalIT extends LauncherTest {

    TetherRun onTerminal(String shellCommand) {
        return start(temp, List.of("script", "-qfec", shellCommand, "/dev/null"));
    }

    static void type(TetherRun run, String keys) throws IOException {
        OutputStream terminal = run.process.getOutputStream();
        terminal.write(keys.getBytes(UTF_8));
        terminal.flush();
    }

    static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void aCommandReadingTheTerminalGetsInputAndCtrlCEndsTheTree() throws Exception {
        Path pids = temp.resolve("pids");
        String command = LAUNCHER + " -- sh -c " + quoted("echo $$ > " + pids + "; sleep 600 & echo $! >> " + pids
                + "; read line; echo got:$line; wait") + "; echo status:$?";
        TetherRun run = onTerminal(command);
        List<Long> tree = awaitPids(pids, 2);
        type(run, "hello\r");
        Procs.await(() -> run.stdout().contains("got:hello"), DEADLINE, "the command to read the terminal");
        type(run, "\u0003");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
        assertTrue(run.stdout().contains("status:130"), printable(run.stdout()));
        assertEquals(List.of(), Procs.alive(tree));
    }

    @Test
    void theForegroundAndTheTerminalModesAreGivenBack() throws Exception {
        Path pids = temp.resolve("pids");
        Path before = temp.resolve("before");
        Path after = temp.resolve("after");
        String command = "stty -g > " + before + "; " + LAUNCHER + " -- sh -c "
                + quoted("stty raw -echo; echo $$ > " + pids + "; sleep 600")
                + "; echo status:$?; stty -g > " + after + "; ps -o tpgid= -p $$ > " + temp.resolve("fg")
                + "; ps -o pgid= -p $$ >> " + temp.resolve("fg");
        TetherRun run = onTerminal(command);
        long shell = awaitPids(pids, 1).getFirst();
        Procs.await(() -> !lines(before).isEmpty(), DEADLINE, "the terminal's modes");
        long tether = Procs.parentOf(shell);
        Procs.await(() -> !Files.exists(Path.of("/proc/" + shell + "/stat")) || !readModes(before).equals(currentModes(shell)),
                DEADLINE, "stty raw");
        Procs.kill(tether, "TERM");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
        assertTrue(run.stdout().contains("status:143"), printable(run.stdout()));
        assertEquals(lines(before), lines(after), "terminal modes restored");
        List<String> foreground = lines(temp.resolve("fg")).stream().map(String::strip).toList();
        assertEquals(foreground.get(1), foreground.get(0), "the shell's group is the foreground again");
        assertNotEquals(List.of(), lines(after));
    }

    /**
     * Ctrl-Z stops the command's group; tether follows, so the job-control shell sees its job stopped and
     * gets the terminal back; {@code fg} hands the terminal to the command again.
     */
    @Test
    void ctrlZSuspendsTheJobAndFgResumesIt() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = start(temp, List.of("script", "-qfec", "bash --norc --noprofile -i", "/dev/null"),
                env -> env.put("PS1", "$ "));
        type(run, LAUNCHER + " -- sh -c " + quoted("echo $$ > " + pids + "; read line; echo got:$line")
                + "; echo status:$?\r");
        long command = awaitPids(pids, 1).getFirst();
        long tether = Procs.parentOf(command);
        Procs.await(() -> Procs.foregroundGroupOf(command) == command, DEADLINE, "the command to get the terminal");
        type(run, "\u001a");
        Procs.await(() -> Procs.isStopped(tether) && Procs.isStopped(command), DEADLINE,
                "tether and the command to be stopped");
        // bash runs the rest of the line when its job stops, and a stop by SIGTSTP is 128 + 20.
        Procs.await(() -> run.stdout().contains("Stopped") && run.stdout().contains("status:148"), DEADLINE,
                "the shell to report the stopped job");
        type(run, "fg\r");
        Procs.await(() -> !Procs.isStopped(tether) && !Procs.isStopped(command), DEADLINE,
                "the job to run again");
        type(run, "hello\r");
        Procs.await(() -> run.stdout().contains("got:hello"), DEADLINE, "the command to read after fg");
        Procs.await(() -> !Procs.isAlive(tether), DEADLINE, "tether to exit");
        type(run, "echo fg-status:$?\r");
        Procs.await(() -> run.stdout().contains("fg-status:0"), DEADLINE, "tether's status after fg");
        type(run, "exit\r");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
    }

    /** Terminal output without carriage returns, which would hide most of a failure message. */
    static String printable(String output) {
        return output.replace("\r", "");
    }

    private static String readModes(Path file) {
        return String.join("", lines(file));
    }

    /** The terminal's modes as stty sees them from the pty the shell {@code pid} is on. */
    private static String currentModes(long pid) {
        try {
            Process stty = new ProcessBuilder("stty", "-g")
                    .redirectInput(Path.of("/proc/" + pid + "/fd/0").toFile()).start();
            String modes = new String(stty.getInputStream().readAllBytes(), UTF_8).strip();
            stty.waitFor();
            return modes;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

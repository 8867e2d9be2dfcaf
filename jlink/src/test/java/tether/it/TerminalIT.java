package tether.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tether.testkit.Procs;

/**
 * tether on a real terminal: {@code script} gives it a pty whose foreground group is tether's, as in an
 * interactive shell. Bytes written to {@code script}'s stdin are typed on that terminal.
 */
@EnabledOnOs(value = OS.LINUX,
        disabledReason = "script -qfec (util-linux's options; BSD script takes others), and /proc/PID/fd/0")
class TerminalIT extends LauncherTest {

    TetherRun onTerminal(String shellCommand) {
        return start(temp, List.of("script", "-qfec", shellCommand, "/dev/null"));
    }

    static void type(TetherRun run, String keys) throws IOException {
        OutputStream terminal = run.process.getOutputStream();
        terminal.write(keys.getBytes(UTF_8));
        terminal.flush();
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
        TetherRun run = interactiveShell();
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

    /**
     * A background job that reads the terminal is stopped by SIGTTIN; tether follows, so the shell sees the
     * job stopped (for tty input, as without tether), and {@code fg} gives the terminal to the command.
     */
    @Test
    void aBackgroundJobReadingTheTerminalStopsAndFgGivesItTheTerminal() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        Job job = startInBackground(run, pids, "; read x; echo got-$x");
        long command = job.command();
        long tether = job.tether();
        awaitOn(run, () -> Procs.isStopped(command) && Procs.isStopped(tether),
                "the command and tether to be stopped");
        awaitJobs(run, tether + " Stopped (tty input)");
        type(run, "fg\r");
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == command && !Procs.isStopped(command)
                && !Procs.isStopped(tether), "the command to run with the terminal");
        answerAfterFg(run, tether);
    }

    /** As a password prompt does: stdin is not the terminal, the command opens /dev/tty and reads it. */
    @Test
    void aCommandReadingTheControllingTerminalGetsItWhateverStdinIs() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = onTerminal(LAUNCHER + " -- sh -c " + quoted("echo $$ > " + pids
                + "; read x </dev/tty; echo got-$x") + " </dev/null; echo status:$?");
        long command = awaitPids(pids, 1).getFirst();
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == command, "the command to get the terminal");
        type(run, "hello\r");
        awaitOn(run, () -> run.stdout().contains("got-hello"), "the command to read /dev/tty");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
        assertTrue(run.stdout().contains("status:0"), printable(run.stdout()));
    }

    /**
     * {@code bg} continues the job without the terminal: the command reads again, is stopped again, and so
     * is the job; {@code fg} then gives it the terminal.
     */
    @Test
    void bgLeavesTheJobInTheBackgroundWhereReadingStopsItAgain() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        // set -b: the shell reports each change of a job's state at once, not at the next prompt.
        type(run, "set -b\r");
        Job job = startInBackground(run, pids, "; read x; echo got-$x");
        long command = job.command();
        long tether = job.tether();
        awaitOn(run, () -> Procs.isStopped(command) && Procs.isStopped(tether)
                && count(run.stdout(), "Stopped") == 1, "the job to be stopped and reported");
        type(run, "bg\r");
        awaitOn(run, () -> count(run.stdout(), "Stopped") == 2 && Procs.isStopped(command) && Procs.isStopped(tether),
                "the job to be stopped again after bg");
        long shell = Procs.parentOf(tether);
        assertEquals(Procs.groupOf(shell), Procs.foregroundGroupOf(tether), "the shell kept the terminal");
        type(run, "fg\r");
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == command && !Procs.isStopped(command),
                "the command to run with the terminal");
        answerAfterFg(run, tether);
    }

    /** Types an answer for the command that now has the terminal, and checks that the job ended with 0. */
    void answerAfterFg(TetherRun run, long tether) throws Exception {
        type(run, "hello\r");
        awaitOn(run, () -> run.stdout().contains("got-hello"), "the command to read after fg");
        endedWithZeroAfterFg(run, tether);
    }

    /** tether, brought to the foreground, ends; the shell reports 0 for it and exits. */
    void endedWithZeroAfterFg(TetherRun run, long tether) throws Exception {
        awaitOn(run, () -> !Procs.isAlive(tether), "tether to exit");
        type(run, "echo fg-status:$?\r");
        awaitOn(run, () -> run.stdout().contains("fg-status:0"), "tether's status after fg");
        type(run, "exit\r");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
    }

    /** COMMAND's shell and the tether that runs it. */
    record Job(long command, long tether) {}

    /** Types {@code tether -- sh -c SCRIPT &} on the shell; SCRIPT first writes its pid to {@code pids}. */
    Job startInBackground(TetherRun run, Path pids, String script) throws Exception {
        return startJob(run, pids, script, " &");
    }

    Job startInForeground(TetherRun run, Path pids, String script) throws Exception {
        return startJob(run, pids, script, "");
    }

    private Job startJob(TetherRun run, Path pids, String script, String suffix) throws Exception {
        type(run, LAUNCHER + " -- sh -c " + quoted("echo $$ > " + pids + script) + suffix + "\r");
        long command = awaitPids(pids, 1).getFirst();
        return new Job(command, Procs.parentOf(command));
    }

    /**
     * {@code fg} of a running job gives the terminal to tether's group without SIGCONT; the command gets it
     * when it reads.
     */
    @Test
    void fgOfARunningJobGivesTheCommandTheTerminalWhenItReads() throws Exception {
        Path pids = temp.resolve("pids");
        Path go = temp.resolve("go");
        TetherRun run = interactiveShell();
        Job job = startInBackground(run, pids, "; while [ ! -e " + go
                + " ]; do sleep 0.01; done; read x; echo got-$x");
        long command = job.command();
        long tether = job.tether();
        type(run, "fg\r");
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == Procs.groupOf(tether),
                "the shell to give tether's group the terminal");
        Files.createFile(go);
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == command, "the command to get the terminal");
        answerAfterFg(run, tether);
    }

    /** Under {@code stty tostop} a background job that writes is stopped by SIGTTOU, tether with it. */
    @Test
    void aBackgroundJobWritingUnderTostopStopsForTtyOutput() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        type(run, "stty tostop\r");
        Job job = startInBackground(run, pids, "; echo wrote-$((6*7))");
        long command = job.command();
        long tether = job.tether();
        awaitOn(run, () -> Procs.isStopped(command) && Procs.isStopped(tether),
                "the command and tether to be stopped");
        awaitJobs(run, tether + " Stopped (tty output)");
        assertTrue(!run.stdout().contains("wrote-42"), printable(run.stdout()));
        type(run, "fg\r");
        awaitOn(run, () -> run.stdout().contains("wrote-42"), "the command to write after fg");
        endedWithZeroAfterFg(run, tether);
    }

    /** A background tether that ends leaves the terminal to the shell, whose modes it does not touch. */
    @Test
    void aBackgroundJobNeverTakesTheTerminalFromTheShell() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        Job job = startInBackground(run, pids, "; exec sleep 600");
        long command = job.command();
        long tether = job.tether();
        long shell = Procs.parentOf(tether);
        awaitOn(run, () -> Procs.foregroundGroupOf(shell) == Procs.groupOf(shell), "the shell's prompt");
        Procs.kill(tether, "TERM");
        awaitOn(run, () -> !Procs.isAlive(tether), "tether to exit");
        assertEquals(Procs.groupOf(shell), Procs.foregroundGroupOf(shell), "the shell keeps the terminal");
        type(run, "echo still-here\r");
        awaitOn(run, () -> run.stdout().contains("still-here"), "the shell to run a command");
        type(run, "exit\r");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
    }

    /**
     * tether stopped from outside while the command has the terminal: the shell takes the terminal, and
     * after {@code bg} tether has lost it; it does not take it from the shell when it ends.
     */
    @Test
    void aJobStoppedFromOutsideAndContinuedWithBgLeavesTheTerminalToTheShell() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        type(run, "set -b\r");
        Job job = startInForeground(run, pids, "; exec sleep 600");
        long command = job.command();
        long tether = job.tether();
        long shell = Procs.parentOf(tether);
        awaitOn(run, () -> Procs.foregroundGroupOf(command) == command, "the command to get the terminal");
        Procs.kill(tether, "STOP");
        awaitOn(run, () -> Procs.foregroundGroupOf(shell) == Procs.groupOf(shell) && run.stdout().contains("Stopped"),
                "the shell to take the terminal back");
        type(run, "bg\r");
        awaitOn(run, () -> !Procs.isStopped(tether), "tether to run in the background");
        Procs.kill(tether, "TERM");
        awaitOn(run, () -> !Procs.isAlive(tether) && !Procs.isAlive(command), "the job to end");
        assertEquals(Procs.groupOf(shell), Procs.foregroundGroupOf(shell), "the shell keeps the terminal");
        type(run, "exit\r");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
    }

    /** {@code kill %1} of a job stopped for tty input (SIGTERM, then SIGCONT) ends the whole tree. */
    @Test
    void killOfAStoppedJobEndsTheTree() throws Exception {
        Path pids = temp.resolve("pids");
        TetherRun run = interactiveShell();
        type(run, LAUNCHER + " -- sh -c " + quoted("sleep 600 & echo $! > " + pids + "; echo $$ >> " + pids
                + "; read x; echo got-$x") + " &\r");
        List<Long> tree = awaitPids(pids, 2);
        long tether = Procs.parentOf(tree.getLast());
        awaitOn(run, () -> Procs.isStopped(tree.getLast()) && Procs.isStopped(tether),
                "the command and tether to be stopped");
        // Only for a job it knows stopped does the shell send SIGCONT after SIGTERM.
        awaitJobs(run, tether + " Stopped (tty input)");
        type(run, "kill %1\r");
        awaitOn(run, () -> !Procs.isAlive(tether), "tether to exit");
        assertEquals(List.of(), Procs.alive(tree));
        type(run, "wait $!; echo status:$?\r");
        awaitOn(run, () -> run.stdout().contains("status:143"), "tether's status for SIGTERM");
        type(run, "exit\r");
        assertEquals(0, run.awaitExit(DEADLINE), printable(run.stdout()));
    }

    /** An interactive bash on a pty of its own; bytes {@link #type}d reach its line editor. */
    private TetherRun interactiveShell() {
        return start(temp, List.of("script", "-qfec", "bash --norc --noprofile -i", "/dev/null"),
                env -> env.put("PS1", "$ "));
    }

    /**
     * Types {@code jobs -l} until the shell reports {@code expected}. A shell learns of a stop only once
     * every thread of tether has stopped, a little after /proc shows tether's main thread stopped.
     */
    private static void awaitJobs(TetherRun run, String expected) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            type(run, "jobs -l\r");
            try {
                Procs.await(() -> run.stdout().contains(expected), Duration.ofMillis(250), "jobs -l");
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + DEADLINE.toMillis() + " ms waiting for jobs -l to "
                            + "report " + expected + "; the terminal shows:\n" + printable(run.stdout()), e);
                }
            }
        }
    }

    /** {@link Procs#await} within {@link #DEADLINE}, failing with what the terminal shows. */
    private static void awaitOn(TetherRun run, BooleanSupplier condition, String what) {
        try {
            Procs.await(condition, DEADLINE, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the terminal shows:\n" + printable(run.stdout()), e);
        }
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
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

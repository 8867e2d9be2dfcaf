package tether.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tether.testkit.Procs;
import tether.testkit.Requirements;
import tether.testkit.RequiresTools;

/**
 * tether as a job of real job-control shells (bash, dash, zsh) on a pty, in the races a user or a script
 * can run into: {@code bg} and {@code fg} in quick succession, {@code kill %1} of a stopped job, two tethers
 * in one job whose commands both read the terminal. Each test runs {@link #RUNS} times (the system property
 * {@code tether.jobControlRuns}, 1 unless set: {@code bench/jobcontrol.sh} runs 50 under load), each time
 * in a fresh shell, and states are read from /proc, not from the shells' differing messages.
 */
@EnabledOnOs(value = OS.LINUX,
        disabledReason = "script -qfec (util-linux's options; BSD script takes others), and /proc")
@RequiresTools(value = "script", why = "gives the shells a terminal")
class JobControlRacesIT extends LauncherTest {

    static final int RUNS = Integer.getInteger("tether.jobControlRuns", 1);

    /** Milliseconds between {@code bg} and {@code fg}, a different one each run: the race has no one width. */
    static final int[] BG_FG_DELAYS = {0, 2, 5, 10, 20, 50, 1};

    /**
     * An interactive shell with job control and no start-up files, and how it kills a stopped job: bash and
     * zsh send SIGCONT after the signal, dash does not (a stopped process takes no SIGTERM until continued,
     * with or without tether), so there the SIGCONT is typed after it.
     */
    enum Shell {
        BASH("bash --norc --noprofile -i", "kill %1"),
        DASH("dash -i", "kill %1; kill -CONT %1"),
        ZSH("zsh -f -i", "kill %1");

        final String command;
        final String killStoppedJob;

        Shell(String command, String killStoppedJob) {
            this.command = command;
            this.killStoppedJob = killStoppedJob;
        }

        String program() {
            return command.substring(0, command.indexOf(' '));
        }
    }

    /** One run of a test: its index, how its failures begin, its pid file, and a fresh shell on a terminal. */
    @FunctionalInterface
    interface Run {
        void in(int index, String run, Path pids, TetherRun terminal) throws Exception;
    }

    /** {@code body} {@link #RUNS} times in {@code shell}, each time in a fresh shell. */
    void eachRun(Shell shell, Run body) throws Exception {
        for (int i = 0; i < RUNS; i++) {
            body.in(i, shell + " run " + (i + 1) + ": ", temp.resolve("pids" + i), interactive(shell));
        }
    }

    TetherRun interactive(Shell shell) {
        // Per shell, as a parameter: the others still run where one is missing. Worded as RequiresTools words it.
        assumeTrue(Requirements.onPath(shell.program()), "needs " + shell.program() + " on PATH: the races are run"
                + " in each job-control shell");
        return start(temp, List.of("script", "-qfec", shell.command, "/dev/null"), env -> {
            env.put("PS1", "$ ");
            env.remove("ENV");
        });
    }

    static void type(TetherRun run, String keys) throws Exception {
        TerminalIT.type(run, keys);
    }

    /** Waits for {@code condition}, failing with what the terminal shows. */
    static void awaitOn(TetherRun run, String what, BooleanSupplier condition) {
        try {
            Procs.await(condition, DEADLINE, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the terminal shows:\n" + TerminalIT.printable(run.stdout()), e);
        }
    }

    /**
     * Waits until the shell knows the job stopped: it says so, or its {@code jobs} does. A shell learns of a
     * stop once every thread of tether has stopped, a little after /proc shows tether stopped; a {@code bg}
     * or {@code fg} typed before would meet a job the shell still believes running.
     */
    static void awaitShellSeesStopped(TetherRun run, String what) throws Exception {
        int before = timesStopped(run.stdout());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (timesStopped(run.stdout()) == before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the terminal shows:\n"
                        + TerminalIT.printable(run.stdout()));
            }
            type(run, "jobs\r");
            Thread.sleep(150);
        }
    }

    /** How often the shell has shown a job stopped (bash and dash say Stopped, zsh suspended). */
    static int timesStopped(String shown) {
        int count = 0;
        for (String word : List.of("Stopped", "suspended")) {
            for (int at = shown.indexOf(word); at >= 0; at = shown.indexOf(word, at + 1)) {
                count++;
            }
        }
        return count;
    }

    /** Types {@code exit 0} until the shell is gone (a shell refuses once while a job is stopped). */
    static void exitShell(TetherRun run) throws Exception {
        for (int i = 0; i < 3 && run.process.isAlive(); i++) {
            type(run, "exit 0\r");
            run.process.waitFor(1, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(0, run.awaitExit(DEADLINE), TerminalIT.printable(run.stdout()));
    }

    /** The tether whose command wrote its pid first to {@code pids}, and that command. */
    record Job(long tether, long command) {
        static Job of(Path pids) {
            long command = awaitPids(pids, 1).getFirst();
            return new Job(Procs.parentOf(command), command);
        }

        boolean stopped() {
            return Procs.isStopped(tether) && Procs.isStopped(command);
        }

        /** The command runs with the terminal, and tether runs. */
        boolean runsInTheForeground() {
            return Procs.foregroundGroupOf(command) == command && !Procs.isStopped(command) && !Procs.isStopped(tether);
        }
    }

    /**
     * After {@code fg}: the command runs with the terminal, reads the line typed there, and ends, and tether
     * with it; then the shell.
     */
    static void readsInTheForegroundThenEnds(TetherRun terminal, String run, Job job) throws Exception {
        awaitOn(terminal, run + "the command to run with the terminal after fg", job::runsInTheForeground);
        type(terminal, "hello\r");
        awaitOn(terminal, run + "the command to read after fg", () -> terminal.stdout().contains("got-hello"));
        awaitOn(terminal, run + "tether to exit", () -> !Procs.isAlive(job.tether()));
        exitShell(terminal);
    }

    String reader(Path pids) {
        return LAUNCHER + " -- sh -c " + TerminalIT.quoted("echo $$ > " + pids + "; read x; echo got-$x");
    }

    /**
     * A background job whose command reads the terminal is stopped; {@code bg} continues it, {@code fg}
     * follows after a few milliseconds (the shell may then still believe the job running, and send it no
     * SIGCONT): the command must end up with the terminal, running, without a second {@code fg}.
     */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void bgThenFgGivesTheCommandTheTerminal(Shell shell) throws Exception {
        eachRun(shell, (i, run, pids, terminal) -> {
            type(terminal, reader(pids) + " &\r");
            Job job = Job.of(pids);
            awaitOn(terminal, run + "the job to stop for tty input", job::stopped);
            awaitShellSeesStopped(terminal, run + "the shell to see the job stopped");
            type(terminal, "bg\r");
            Thread.sleep(BG_FG_DELAYS[i % BG_FG_DELAYS.length]);
            type(terminal, "fg\r");
            readsInTheForegroundThenEnds(terminal, run, job);
        });
    }

    /**
     * Ctrl-Z stops the command and the job, {@code fg} gives the command the terminal again: as without
     * tether, in each shell.
     */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void ctrlZThenFgResumesTheCommand(Shell shell) throws Exception {
        eachRun(shell, (i, run, pids, terminal) -> {
            type(terminal, reader(pids) + "\r");
            Job job = Job.of(pids);
            awaitOn(terminal, run + "the command to get the terminal", job::runsInTheForeground);
            type(terminal, "\u001a");
            awaitOn(terminal, run + "the job to stop", job::stopped);
            awaitShellSeesStopped(terminal, run + "the shell to see the job stopped");
            type(terminal, "fg\r");
            readsInTheForegroundThenEnds(terminal, run, job);
        });
    }

    /**
     * {@code kill %1} of a job stopped for tty input sends SIGTERM, then SIGCONT: tether must take the
     * SIGTERM before it could stop again for its command, which the SIGCONT lets read again.
     */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void killOfAStoppedJobEndsTheTree(Shell shell) throws Exception {
        eachRun(shell, (i, run, pids, terminal) -> {
            type(terminal, LAUNCHER + " -- sh -c " + TerminalIT.quoted("sleep 600 & echo $! > " + pids
                    + "; echo $$ >> " + pids + "; read x; echo got-$x") + " &\r");
            List<Long> tree = awaitPids(pids, 2);
            long tether = Procs.parentOf(tree.getLast());
            awaitOn(terminal, run + "the job to stop", () -> Procs.isStopped(tree.getLast()) && Procs.isStopped(tether));
            // A shell sends SIGCONT after SIGTERM only for a job it knows stopped.
            awaitShellSeesStopped(terminal, run + "the shell to see the job stopped");
            type(terminal, shell.killStoppedJob + "\r");
            awaitOn(terminal, run + "tether to exit", () -> !Procs.isAlive(tether));
            assertEquals(List.of(), Procs.alive(tree), run + "the tree is torn down");
            exitShell(terminal);
        });
    }

    /**
     * Two tethers in one foreground job (a script's {@code a & b}) whose commands both read the terminal:
     * the first to read gets it, the other waits its turn; neither stops the job, and the shell gets every
     * line typed to it after.
     */
    @ParameterizedTest
    @EnumSource(Shell.class)
    void twoTethersInOneJobTakeTurnsAtTheTerminal(Shell shell) throws Exception {
        eachRun(shell, (i, run, pids, terminal) -> {
            String first = LAUNCHER + " -- sh -c 'echo $$ >> " + pids + "; read a </dev/tty; echo A-$a'";
            String second = LAUNCHER + " -- sh -c 'echo $$ >> " + pids + "; read b </dev/tty; echo B-$b'";
            type(terminal, "sh -c " + TerminalIT.quoted(first + " & " + second + "; wait") + "; echo job-$?\r");
            List<Long> commands = awaitPids(pids, 2);
            type(terminal, "one\r");
            awaitOn(terminal, run + "one command to read the first line", () -> terminal.stdout().contains("-one"));
            type(terminal, "two\r");
            awaitOn(terminal, run + "the other to read the second", () -> terminal.stdout().contains("-two"));
            awaitOn(terminal, run + "the job to end", () -> terminal.stdout().contains("job-0"));
            type(terminal, "echo after-$((6*7))\r");
            awaitOn(terminal, run + "the shell to read the next line", () -> terminal.stdout().contains("after-42"));
            assertEquals(List.of(), Procs.alive(commands));
            String shown = TerminalIT.printable(terminal.stdout());
            assertFalse(shown.contains("Stopped") || shown.contains("suspended"), run + "the job never stopped:\n" + shown);
            exitShell(terminal);
        });
    }
}

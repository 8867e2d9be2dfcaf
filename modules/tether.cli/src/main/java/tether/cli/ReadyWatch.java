package tether.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import tether.api.NativePaths;
import tether.api.OutputTap;
import tether.api.PathException;
import tether.api.Printable;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.cli.ready.Condition;
import tether.cli.ready.HttpProbe;
import tether.cli.ready.LogFile;
import tether.cli.ready.OutputLines;
import tether.cli.ready.OutputProbe;
import tether.cli.ready.PortProbe;
import tether.cli.ready.Probe;

/**
 * {@code --ready}: a thread of its own, started with COMMAND, checks every condition each {@link #TICK} until
 * all have held, then says so once and ends; nothing is checked after that. A tether started without
 * {@code --ready} never loads this class.
 *
 * <p>Where it says so: at {@code -v} on stderr, on {@code --ready-fd}'s descriptor (a line, then the descriptor
 * is closed: s6's notification-fd, with tether as the one who notifies), and for a detached tether on the
 * report channel, which the tether that started it was waiting on. When the timeout passes first, the tree is
 * torn down as for any cause and tether exits 124, or with {@code --keep-unready} the tree runs on and only the
 * waiting stops. When the tree ends first (COMMAND exits, the worktree is removed, a signal), its end is the
 * report.
 *
 * <p>Where COMMAND's output comes from for {@code output:}: with {@code --detach}, the {@code --log} file,
 * followed from where this run began, so tether is not in the output's way at all; without, pipes tether reads
 * and passes on ({@link OutputTap}), but never in place of a terminal.
 */
final class ReadyWatch {

    /**
     * How often the conditions are checked while waiting: a server is seen within this of when it listens,
     * and a tick of {@code port} costs about 0.4 ms, 0.85 % of a core while waiting (bench/ready.md).
     */
    static final Duration TICK = Duration.ofMillis(50);
    /** How long the last of COMMAND's output may take to come through the pipes once the tree is gone. */
    static final Duration DRAIN = Duration.ofSeconds(1);

    private enum State { WAITING, READY, GAVE_UP, ENDED }

    private final ReadyOptions options;
    private final OutputTap tap;
    private final LogFile log;
    /** Where this run's part of the log begins, for the waiting tether to show its end; -1 without a log. */
    private final long logOffset;
    private final OutputStream readyFd;
    private final List<OutputProbe> outputs = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    private Queue<Cause> causes;
    private Detach.Reporter reporter;
    private long startedAt;
    private String program;
    private State state = State.WAITING;
    private String notReady;

    private ReadyWatch(ReadyOptions options, OutputTap tap, LogFile log, long logOffset, OutputStream readyFd) {
        this.options = options;
        this.tap = tap;
        this.log = log;
        this.logOffset = logOffset;
        this.readyFd = readyFd;
    }

    /**
     * What can be refused before anything starts, so that the tether a hook runs refuses it itself rather than
     * the detached one: a platform that cannot read a tree's ports.
     */
    static void check(ProcessTreeKiller killer, ReadyOptions options) throws Main.UsageProblem {
        for (Condition condition : options.conditions()) {
            if (condition instanceof Condition.Port && !killer.readsListeningPorts()) {
                throw new Main.UsageProblem("cannot wait for --ready '" + Printable.of(condition.text()
                        .getBytes(StandardCharsets.UTF_8)) + "' on " + System.getProperty("os.name") + " yet: tether "
                        + "cannot read a tree's sockets there (use an http:// URL)");
            }
        }
    }

    /**
     * Everything the watch needs before COMMAND starts: the pipes or the log's offset, and {@code --ready-fd}.
     * A failure here starts nothing, and a detached tether reports it as its failure to start COMMAND.
     */
    static ReadyWatch prepare(ProcessTreeKiller killer, Settings settings) throws SpawnException {
        ReadyOptions options = settings.ready();
        boolean outputs = false;
        for (Condition condition : options.conditions()) {
            outputs |= condition instanceof Condition.Output;
        }
        try {
            check(killer, options);
        } catch (Main.UsageProblem e) {
            throw failed(e.getMessage());
        }
        NativePaths paths = killer.paths();
        long offset = -1;
        if (settings.detach() && settings.log() != null) {
            try {
                offset = LogFile.size(paths, settings.log());
            } catch (PathException e) {
                if (outputs) {
                    throw failed("cannot wait for a line in the log '" + Printable.of(settings.log()) + "': "
                            + e.getMessage());
                }
            }
        }
        OutputStream readyFd = null;
        if (options.fd() >= 0) {
            try {
                readyFd = killer.ownProcess().descriptor(options.fd());
            } catch (IOException | UnsupportedOperationException e) {
                throw failed("cannot use --ready-fd '" + options.fd() + "': " + e.getMessage());
            }
        }
        LogFile log = outputs && settings.detach() ? new LogFile(paths, settings.log(), offset) : null;
        OutputTap tap = outputs && !settings.detach() ? tap(killer) : null;
        return new ReadyWatch(options, tap, log, offset, readyFd);
    }

    private static OutputTap tap(ProcessTreeKiller killer) throws SpawnException {
        OutputTap tap;
        try {
            tap = killer.ownProcess().tapOutput(ChildEnvironment.commandStdout());
        } catch (IOException | UnsupportedOperationException e) {
            throw failed("cannot wait for a line of COMMAND's output: " + e.getMessage());
        }
        if (!tap.tapsAnything()) {
            throw failed("cannot wait for a line of COMMAND's output: its stdout and stderr are a terminal, and "
                    + "tether does not come between a program and its terminal (use port, an http:// URL, or --detach "
                    + "--log FILE)");
        }
        return tap;
    }

    private static SpawnException failed(String message) {
        return new SpawnException(SpawnException.Reason.FAILED, message);
    }

    /** {@code request} with the pipes as COMMAND's stdout and stderr, where output is tapped. */
    SpawnRequest tapped(SpawnRequest request) {
        if (tap == null) {
            return request;
        }
        return new SpawnRequest(request.command(), request.directory(), request.environment(), request.firstSignal(),
                request.grace(), tap.stdout(), tap.stderr(), request.cgroup());
    }

    /**
     * Starts waiting, right after COMMAND was spawned at {@code startedAt} ({@code System.nanoTime}).
     *
     * @param program  COMMAND's program, as its exit is worded
     * @param causes   where a timeout is put, as the cause that ends the supervision
     * @param reporter the detached tether's report channel, or {@code null}
     */
    void start(ProcessTree tree, byte[] program, long startedAt, Queue<Cause> causes, Detach.Reporter reporter) {
        this.program = Printable.of(program);
        this.startedAt = startedAt;
        this.causes = causes;
        this.reporter = reporter;
        for (Condition condition : options.conditions()) {
            switch (condition) {
                case Condition.Port port -> probes.add(new PortProbe(port, tree));
                case Condition.Url url -> probes.add(new HttpProbe(url));
                case Condition.Output output -> {
                    OutputProbe probe = new OutputProbe(output);
                    outputs.add(probe);
                    probes.add(probe);
                }
            }
        }
        if (tap != null) {
            tap.start(new OutputLines(outputs, new Wake()));
        }
        Thread thread = new Thread(new Waiting(), "tether-ready");
        thread.setDaemon(true);
        thread.start();
    }

    /** The thread: each tick, the log's new lines, then every condition that has not held yet. */
    private final class Waiting implements Runnable {
        @Override
        public void run() {
            long deadline = startedAt + options.timeout().toNanos();
            boolean[] held = new boolean[probes.size()];
            OutputLines logLines = new OutputLines(outputs, new Wake());
            String logProblem = null;
            while (true) {
                if (log != null) {
                    try {
                        logLines.offer(log.newLines());
                        logProblem = null;
                    } catch (PathException e) {
                        logProblem = "cannot read the log: " + e.getMessage();
                    }
                }
                boolean all = true;
                for (int i = 0; i < held.length; i++) {
                    held[i] = held[i] || probes.get(i).holds(deadline);
                    all &= held[i];
                }
                if (all) {
                    ready();
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    timedOut(held, logProblem);
                    return;
                }
                synchronized (ReadyWatch.this) {
                    if (state != State.WAITING) {
                        return;
                    }
                    try {
                        long wait = Math.min(TICK.toNanos(), left);
                        ReadyWatch.this.wait(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** A line matched on the pipes' thread: the waiting thread checks at once rather than at its next tick. */
    private final class Wake implements Runnable {
        @Override
        public void run() {
            synchronized (ReadyWatch.this) {
                ReadyWatch.this.notifyAll();
            }
        }
    }

    /** Leaves the wait for {@code next}, unless something else ended it first; the pipes are then only passed on. */
    private boolean leaveWaiting(State next) {
        if (state != State.WAITING) {
            return false;
        }
        state = next;
        if (tap != null) {
            tap.stopReading();
        }
        return true;
    }

    private synchronized void ready() {
        if (!leaveWaiting(State.READY)) {
            return;
        }
        List<String> answered = new ArrayList<>();
        for (Probe probe : probes) {
            answered.add(probe.answered());
        }
        String message = "ready after " + seconds(Duration.ofNanos(System.nanoTime() - startedAt)) + ": "
                + String.join(", ", answered);
        Log.info(message);
        if (reporter != null) {
            reporter.send(ReadyReport.ready(message));
        }
        if (readyFd != null) {
            try (OutputStream out = readyFd) {
                out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                Log.warn("cannot write to --ready-fd '{}': {}", options.fd(), e.getMessage());
            }
        }
    }

    private synchronized void timedOut(boolean[] held, String logProblem) {
        if (!leaveWaiting(State.GAVE_UP)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            if (!held[i]) {
                missing.add(probes.get(i).missing());
            }
        }
        if (logProblem != null) {
            missing.add(logProblem);
        }
        notReady = "not ready after " + seconds(options.timeout()) + ": " + String.join(", ", missing);
        if (!options.keep()) {
            causes.offer(new Cause.NotReady(notReady));
            return;
        }
        closeReadyFd();
        Log.warn("{}; left running", notReady);
        if (reporter != null) {
            reporter.send(ReadyReport.unready(ReadyOptions.TIMED_OUT, logOffset,
                    notReady + "; left running as pid " + ProcessHandle.current().pid()));
        }
    }

    /**
     * After the teardown, whatever ended the supervision: the last output is passed on, and a tether still
     * waiting reports how its wait ended, now that the tree is gone.
     */
    void ended(Cause cause) throws InterruptedException {
        if (tap != null) {
            tap.stopReading();
            tap.drain(DRAIN);
        }
        synchronized (this) {
            State was = state;
            state = State.ENDED;
            notifyAll();
            closeReadyFd();
            if (was == State.WAITING) {
                String message = (cause instanceof Cause.Exited exited ? program + " " + exited.status() : cause)
                        + " before it was ready";
                Log.info(message);
                if (reporter != null) {
                    reporter.send(ReadyReport.unready(cause.exitStatus(), logOffset, message));
                }
            } else if (was == State.GAVE_UP && cause instanceof Cause.NotReady) {
                String message = notReady + "; the tree was torn down";
                Fatal.print(message);
                if (reporter != null) {
                    reporter.send(ReadyReport.unready(ReadyOptions.TIMED_OUT, logOffset, message));
                }
            }
        }
    }

    private void closeReadyFd() {
        if (readyFd != null) {
            try {
                readyFd.close();
            } catch (IOException e) {
                // closing is all that is left to say, and it is said
            }
        }
    }

    /** {@code 812ms}, {@code 1.02s}, {@code 60s}: the precision a person reads a wait in. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long hundredths = (millis + 5) / 10;
        String text = hundredths / 100 + "." + (hundredths % 100 < 10 ? "0" : "") + hundredths % 100;
        while (text.endsWith("0")) {
            text = text.substring(0, text.length() - 1);
        }
        return (text.endsWith(".") ? text.substring(0, text.length() - 1) : text) + "s";
    }
}

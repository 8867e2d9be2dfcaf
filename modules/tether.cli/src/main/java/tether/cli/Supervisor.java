package tether.cli;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Supervision;
import tether.api.Teardown;

/**
 * Runs COMMAND, waits for the first cause to end it (exit, signal, watched path gone), and tears the
 * tree down. Every cause goes through the same {@link Teardown}; after COMMAND's own exit it still sweeps
 * the group, since descendants that outlived COMMAND (a bundler's sidecar) are still members.
 *
 * <p>Once COMMAND runs, nothing that fails in tether may skip the teardown: a failure on this thread or on
 * any of tether's own (a thread the OS would not start, memory that ran out) is a cause like the others,
 * with tether's status 125, and the teardown runs on this thread, which exists already. So does every
 * thread the supervision needs: the one that waits for COMMAND's exit starts before COMMAND does, since
 * COMMAND may then fill the user's process quota. Only a teardown that itself fails leaves the process
 * group to the sentinel, and tether says so.
 */
final class Supervisor {

    /** The supervision of this process once COMMAND runs, for failures on tether's other threads. */
    private static volatile Supervisor running;

    /** Room for every cause that can come: one exit, a few signals, a failure. Full, later ones change nothing. */
    private static final int CAUSES = 64;

    private final ProcessTreeKiller killer;
    private final SpawnRequest request;
    private final Watch watch;
    private final Duration poll;
    private final ReadyWatch ready;
    private final BlockingQueue<Cause> causes = new ArrayBlockingQueue<>(CAUSES);
    private final Thread supervising = Thread.currentThread();
    /** A failure on another of tether's threads, handed over without allocating (memory may be what ran out). */
    private volatile Throwable failure;
    private volatile Thread failedThread;
    /** The teardown runs: a failure elsewhere no longer interrupts this thread, whose teardown must go on. */
    private boolean tearingDown;
    private volatile boolean tornDown;

    /**
     * @param watch the watched path, or {@code null} to watch nothing
     * @param ready {@code --ready}'s watch, or {@code null}
     */
    Supervisor(ProcessTreeKiller killer, SpawnRequest request, Watch watch, Duration poll, ReadyWatch ready) {
        this.killer = killer;
        this.request = request;
        this.watch = watch;
        this.poll = poll;
        this.ready = ready;
    }

    /**
     * Hands a failure on one of tether's threads to the running supervision, which tears the tree down;
     * false when there is none (COMMAND has not started). Once the tree is torn down, a failure is of no
     * consequence (the thread waiting for COMMAND's exit finds the leader reaped) and is let pass.
     */
    static boolean failed(Thread thread, Throwable error) {
        Supervisor supervisor = running;
        if (supervisor == null) {
            return false;
        }
        supervisor.hold(thread, error);
        return true;
    }

    /**
     * Keeps the first failure, and interrupts the wait for a cause unless the teardown has begun: under
     * the same lock as {@link #beginTeardown}, so an interrupt can never land in the teardown.
     */
    private synchronized void hold(Thread thread, Throwable error) {
        if (tornDown || failure != null) {
            return;
        }
        failedThread = thread;
        failure = error;
        if (!tearingDown) {
            supervising.interrupt();
        }
    }

    /** From here a failure elsewhere is reported after the teardown; an interrupt meant for the wait is dropped. */
    private synchronized void beginTeardown() {
        tearingDown = true;
        Thread.interrupted();
    }

    /**
     * Returns tether's exit status; {@code reporter}, if any, is told once COMMAND has started, or with
     * {@code --ready} once it is ready or will not be.
     */
    int run(Detach.Reporter reporter) throws SpawnException, InterruptedException {
        AwaitExit exit = new AwaitExit();
        Thread exitThread = new Thread(exit, "tether-exit");
        exitThread.setDaemon(true);
        exitThread.start();
        ProcessTree tree;
        try {
            tree = killer.spawn(request, new Events());
        } catch (SpawnException | RuntimeException | Error e) {
            exit.abandon();
            throw e;
        }
        running = this;
        exit.watch(tree);
        long startedAt = System.nanoTime();
        Cause cause;
        try {
            announce(tree, reporter, startedAt);
            cause = nextCause();
        } catch (RuntimeException | Error e) {
            cause = new Cause.Failed(Thread.currentThread().getName(), e);
        }
        if (cause instanceof Cause.Failed) {
            Fatal.print(cause + "; tearing the tree down");
        } else if (Log.enabled(LogLevel.INFO)) {
            Log.info("tearing down: {} after {}", cause, Durations.format(since(startedAt)));
        }
        beginTeardown();
        Teardown.Report report;
        try {
            report = Teardown.run(tree, request.firstSignal(), request.grace());
        } catch (RuntimeException | Error | InterruptedException e) {
            // Not released: the sentinel, never told "done", tears the group down once tether has exited.
            Fatal.print("the teardown failed: " + e + "; the sentinel tears the process group down, and"
                    + " descendants that left it may survive");
            Log.trace(e);
            return Main.OWN_FAILURE;
        }
        tornDown = true;
        logReport(report);
        if (ready != null) {
            ready.ended(cause);
        }
        if (report.empty() && !(cause instanceof Cause.Exited) && Log.enabled(LogLevel.INFO)) {
            // The leader is dead and not yet reaped, so this returns at once.
            Log.info("command {} after {}", awaitExit(tree), Durations.format(since(startedAt)));
        }
        tree.release();
        if (!(cause instanceof Cause.Failed) && failure != null) {
            // Another thread failed during the teardown, which went on all the same.
            cause = new Cause.Failed(failedThread.getName(), failure);
            Fatal.print(cause.toString());
        }
        Log.info("exiting with status {}", cause.exitStatus());
        return cause.exitStatus();
    }

    /**
     * What follows the spawn: the report that COMMAND started, the log, and {@code --ready}'s wait, whose
     * threads start here (one that cannot is tether's failure, and the tree is torn down).
     */
    private void announce(ProcessTree tree, Detach.Reporter reporter, long startedAt) {
        if (reporter != null && ready == null) {
            reporter.started();
        }
        if (Log.enabled(LogLevel.INFO)) {
            Log.info("spawned {} as pid {} in a new process group {} ({} provider)",
                    Commands.describe(request.command()), tree.pid(), tree.pid(), killer.name());
            if (tree.containment() != null) {
                Log.info("the tree is held {}", tree.containment());
            }
        }
        if (Log.enabled(LogLevel.DEBUG)) {
            Log.debug("watching {} every {}; teardown: SIG{}, SIGKILL after {}", watch == null ? "nothing" : watch.path(),
                    Durations.format(poll), request.firstSignal(), Durations.format(request.grace()));
        }
        if (ready != null) {
            ready.start(tree, request.command().getFirst(), startedAt, causes, reporter);
        }
    }

    /**
     * Without a watch there is nothing to poll: only an exit or a signal can end the wait. That wait is a
     * timed one too: the JDK's untimed one starts ForkJoinPool's machinery, 30 classes the AOT cache,
     * trained with a watch, does not hold. A failure on another thread interrupts the wait.
     */
    private Cause nextCause() {
        long wait = watch == null ? Long.MAX_VALUE : poll.toNanos();
        while (true) {
            Cause cause;
            try {
                cause = causes.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                cause = null;
            }
            Throwable failed = failure;
            if (failed != null) {
                return new Cause.Failed(failedThread.getName(), failed);
            }
            if (cause != null) {
                return cause;
            }
            if (watch != null && watch.gone()) {
                return new Cause.PathGone(watch.path());
            }
        }
    }

    private static String awaitExit(ProcessTree tree) {
        try {
            return tree.awaitExit().toString();
        } catch (InterruptedException e) {
            return "ended";
        }
    }

    /** What the provider tells the supervision: a signal that asks tether to end is a cause. */
    private final class Events implements Supervision {
        @Override
        public void stopRequested(int signal) {
            causes.offer(new Cause.Signalled(signal));
        }

        @Override
        public void warn(String message) {
            Log.warn("{}", message);
        }
    }

    /**
     * The {@code tether-exit} thread: COMMAND's exit is a cause. It starts before COMMAND and waits for the
     * tree to be handed to it.
     */
    private final class AwaitExit implements Runnable {
        private ProcessTree tree;
        private boolean abandoned;

        synchronized void watch(ProcessTree started) {
            tree = started;
            notifyAll();
        }

        /** COMMAND did not start: the thread ends. */
        synchronized void abandon() {
            abandoned = true;
            notifyAll();
        }

        private synchronized ProcessTree awaitTree() throws InterruptedException {
            while (tree == null && !abandoned) {
                wait();
            }
            return tree;
        }

        /** A failure here is tether's (see {@link #failed}): the exit would otherwise go unseen. */
        @Override
        public void run() {
            try {
                ProcessTree watched = awaitTree();
                if (watched != null) {
                    ExitStatus status = watched.awaitExit();
                    causes.offer(new Cause.Exited(status));
                }
            } catch (InterruptedException e) {
                // nothing interrupts this thread; the process is ending
            }
        }
    }

    /** Formats durations only when they are written: a first String.format costs milliseconds. */
    private void logReport(Teardown.Report report) {
        for (Members.Unreachable member : report.unreachable()) {
            Log.warn("cannot signal pid {}: {}", member.pid() + describe(member.pid()), member.reason());
        }
        if (report.unread() != null) {
            Log.warn("{}; descendants further down that left the group may have had SIGKILL without SIG{} first",
                    report.unread(), request.firstSignal());
        }
        if (!report.empty()) {
            Log.warn("the tree still has live members {} after SIGKILL", Durations.format(report.elapsed()));
        }
        if (!Log.enabled(LogLevel.INFO)) {
            return;
        }
        if (report.reachedByFirst() == 0) {
            Log.info("the group was already empty");
            return;
        }
        Log.info("SIG{} and SIGCONT reached {} process(es)", request.firstSignal(), report.reachedByFirst());
        if (report.reachedByKill() > 0) {
            Log.info("SIGKILL after {} reached {} process(es)", Durations.format(request.grace()), report.reachedByKill());
        }
        if (report.empty()) {
            Log.info("the group was empty {} after the teardown began", Durations.format(report.elapsed()));
        }
    }

    /** The process's command, for a message about it: " (sudo)", or nothing once it is gone. */
    private static String describe(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                .map(command -> " (" + command + ")").orElse("");
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}

package tether.cli;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import tether.api.ExitStatus;
import tether.api.Members;
import tether.api.ProcessTree;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;
import tether.api.Teardown;

/**
 * Runs COMMAND, waits for the first cause to end it (exit, signal, watched path gone), and tears the
 * tree down. Every cause goes through the same {@link Teardown}; after COMMAND's own exit it still sweeps
 * the group, since descendants that outlived COMMAND (a bundler's sidecar) are still members.
 */
final class Supervisor {

    private final ProcessTreeKiller killer;
    private final SpawnRequest request;
    private final Watch watch;
    private final Duration poll;
    private final ReadyWatch ready;
    private final BlockingQueue<Cause> causes = new LinkedBlockingQueue<>();

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
     * Returns tether's exit status; {@code reporter}, if any, is told once COMMAND has started, or with
     * {@code --ready} once it is ready or will not be.
     */
    int run(Detach.Reporter reporter) throws SpawnException, InterruptedException {
        ProcessTree tree = killer.spawn(request, new Signalled());
        if (reporter != null && ready == null) {
            reporter.started();
        }
        long startedAt = System.nanoTime();
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
        Thread exit = new Thread(new AwaitExit(tree), "tether-exit");
        exit.setDaemon(true);
        exit.start();

        Cause cause = nextCause();
        if (Log.enabled(LogLevel.INFO)) {
            Log.info("tearing down: {} after {}", cause, Durations.format(since(startedAt)));
        }
        Teardown.Report report = Teardown.run(tree, request.firstSignal(), request.grace());
        logReport(report);
        if (ready != null) {
            ready.ended(cause);
        }
        if (report.empty() && !(cause instanceof Cause.Exited) && Log.enabled(LogLevel.INFO)) {
            // The leader is dead and not yet reaped, so this returns at once.
            Log.info("command {} after {}", tree.awaitExit(), Durations.format(since(startedAt)));
        }
        tree.release();
        Log.info("exiting with status {}", cause.exitStatus());
        return cause.exitStatus();
    }

    /**
     * Without a watch there is nothing to poll: only an exit or a signal can end the wait. That wait is a
     * timed one too: the JDK's untimed one starts ForkJoinPool's machinery, 30 classes the AOT cache,
     * trained with a watch, does not hold.
     */
    private Cause nextCause() throws InterruptedException {
        long wait = watch == null ? Long.MAX_VALUE : poll.toNanos();
        while (true) {
            Cause cause = causes.poll(wait, TimeUnit.NANOSECONDS);
            if (cause != null) {
                return cause;
            }
            if (watch != null && watch.gone()) {
                return new Cause.PathGone(watch.path());
            }
        }
    }

    /** A signal that asks tether to end is a cause. */
    private final class Signalled implements IntConsumer {
        @Override
        public void accept(int signal) {
            causes.add(new Cause.Signalled(signal));
        }
    }

    /** The {@code tether-exit} thread: COMMAND's exit is a cause. */
    private final class AwaitExit implements Runnable {
        private final ProcessTree tree;

        AwaitExit(ProcessTree tree) {
            this.tree = tree;
        }

        @Override
        public void run() {
            try {
                ExitStatus status = tree.awaitExit();
                causes.add(new Cause.Exited(status));
            } catch (InterruptedException | RuntimeException e) {
                Log.warn("cannot wait for the command: {}", e.getMessage());
            }
        }
    }

    /** Formats durations only when they are written: a first String.format costs milliseconds. */
    private void logReport(Teardown.Report report) {
        for (Members.Unreachable member : report.unreachable()) {
            Log.warn("cannot signal pid {}: {}", member.pid() + describe(member.pid()), member.reason());
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

package tether.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.Printable;
import tether.api.ProcessTreeKiller;
import tether.api.Provenance;
import tether.api.SpawnException;
import tether.api.SpawnRequest;

/**
 * The entry point: reads the command line, supervises, and exits with the status the table in docs/usage.md gives.
 *
 * <p>The path an idle supervised run takes (parse, spawn, signals, watch, teardown) uses loops and small
 * named classes rather than lambdas, method references and streams, and no regular expressions or
 * {@code String.format}: the AOT cache holds every class that path loads, and the JVM writes to each one as
 * it links it at start, which every idle tether pays for in private memory (bench/memory.md).
 */
public final class Main {

    /** The shell's status for a failure of tether itself rather than of COMMAND. */
    static final int OWN_FAILURE = 125;

    private Main() {}

    /**
     * Halts rather than exits: there are no shutdown hooks to run, and {@code System.exit} first sets up
     * the JDK's logging of the exit, which costs milliseconds after the tree is already gone.
     */
    public static void main(String[] args) {
        // Messages name paths as UTF-8 (see Printable); the C locale's stderr would turn them into '?'.
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        // A failure on one of tether's own threads (a thread the OS would not create) is tether's failure:
        // one line, not a stack trace, and 125, after the teardown once COMMAND runs.
        Thread.setDefaultUncaughtExceptionHandler(new OwnThreadFailure());
        int status = run(args);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] args) {
        ProcessTreeKiller killer = ProcessTreeKiller.forThisPlatform().orElse(null);
        List<byte[]> raw = killer == null ? CommandLineParser.jvmBytes(args) : killer.ownProcess().arguments(args);
        CommandLineParser.Parsed parsed;
        try {
            parsed = CommandLineParser.parse(CommandLineParser.latin1(raw), System.getenv("TETHER_LOG"));
        } catch (CommandLineParser.UsageException e) {
            Fatal.print(e.getMessage() + " (see 'tether --help')");
            return OWN_FAILURE;
        }
        if (parsed instanceof CommandLineParser.Print print) {
            return printOnStdout(killer, print.text());
        }
        if (parsed instanceof CommandLineParser.Listing || parsed instanceof CommandLineParser.Stopping) {
            return query(killer, parsed);
        }
        Settings settings = ((CommandLineParser.Run) parsed).settings();
        Log.setLevel(settings.logLevel());
        try {
            if (killer == null) {
                throw new UsageProblem("no process-tree provider supports " + System.getProperty("os.name"));
            }
            return supervise(killer, raw, settings);
        } catch (SpawnException e) {
            Fatal.print(e.getMessage());
            return e.reason().exitStatus();
        } catch (UsageProblem e) {
            Fatal.print(e.getMessage());
            return OWN_FAILURE;
        } catch (Exception | Error e) {
            Fatal.print("internal error: " + e);
            Log.trace(e);
            return OWN_FAILURE;
        }
    }

    /** {@code --list} and {@code --stop}: questions about the tethers running, answered from the process table. */
    private static int query(ProcessTreeKiller killer, CommandLineParser.Parsed parsed) {
        try {
            if (killer == null) {
                throw new UnsupportedOperationException("no process-tree provider supports " + System.getProperty("os.name"));
            }
            if (parsed instanceof CommandLineParser.Listing listing) {
                Log.setLevel(listing.logLevel());
                try {
                    int width = ListCommand.width(killer, System.getenv("COLUMNS"));
                    return printOnStdout(killer, listing.all() ? ListAllCommand.run(killer, listing, width)
                            : ListCommand.run(killer, listing, width));
                } catch (ListCommand.MissingPath e) {
                    Fatal.print(e.getMessage());
                    return ListCommand.NO_SUCH_PATH;
                }
            }
            CommandLineParser.Stopping stopping = (CommandLineParser.Stopping) parsed;
            Log.setLevel(stopping.logLevel());
            StopCommand.Outcome outcome = stopping.all() ? StopAllCommand.run(killer, stopping)
                    : StopCommand.run(killer, stopping.targets());
            outcome.problems().forEach(Fatal::print);
            if (stopping.logLevel() == LogLevel.OFF || outcome.stopped().isEmpty()) {
                return outcome.status();
            }
            int printed = printOnStdout(killer, String.join("\n", outcome.stopped()) + "\n");
            return printed == 0 ? outcome.status() : printed;
        } catch (UnsupportedOperationException | UsageProblem e) {
            Fatal.print(e.getMessage());
            return OWN_FAILURE;
        } catch (Exception e) {
            Fatal.print((parsed instanceof CommandLineParser.Listing ? "--list" : "--stop") + " failed: " + e.getMessage());
            Log.trace(e);
            return OWN_FAILURE;
        }
    }

    /** {@code --help} and {@code --version} go to the real stdout, which the launcher kept aside. */
    private static int printOnStdout(ProcessTreeKiller killer, String text) {
        int fd = ChildEnvironment.commandStdout();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (killer == null || fd == 1) {
                System.out.write(bytes);
                System.out.flush();
            } else {
                killer.ownProcess().write(fd, bytes);
            }
            return 0;
        } catch (IOException e) {
            Fatal.print("cannot write to stdout: " + e.getMessage());
            return OWN_FAILURE;
        }
    }

    private static int supervise(ProcessTreeKiller killer, List<byte[]> raw, Settings settings) throws Exception {
        NativePaths paths = killer.paths();
        byte[] directory = directory(paths, settings.directory());
        Watch watch = watch(paths, settings);
        if (settings.ready() != null) {
            ReadyWatch.check(killer, settings.ready());
        }
        boolean detachedSupervisor = Detach.isDetachedSupervisor();
        if (settings.detach() && !detachedSupervisor) {
            // Options are checked above, so that their errors are this tether's; the detached one does the rest.
            return Detach.start(killer, raw, settings.log());
        }
        SpawnRequest request = new SpawnRequest(raw.subList(settings.commandStart(), raw.size()), directory,
                commandEnvironment(killer, settings), settings.signal(), settings.grace(), ChildEnvironment.commandStdout(),
                2, settings.cgroup());
        Detach.Reporter reporter = detachedSupervisor ? Detach.Reporter.open(killer.ownProcess()) : null;
        try {
            ReadyWatch ready = settings.ready() == null ? null : ReadyWatch.prepare(killer, settings);
            return new Supervisor(killer, ready == null ? request : ready.tapped(request), watch, settings.poll(), ready)
                    .run(reporter);
        } catch (SpawnException e) {
            if (reporter != null) {
                reporter.failed(e.reason().exitStatus(), e.getMessage());
            }
            throw e;
        }
    }

    /**
     * tether's own environment, scrubbed, with the marker of this tether's tree ({@link Provenance}): its pid
     * and where the tree belongs, the watched path or with {@code --no-watch} COMMAND's directory, as
     * {@code --list PATH} places it.
     */
    private static List<byte[]> commandEnvironment(ProcessTreeKiller killer, Settings settings) throws UsageProblem {
        NativePaths paths = killer.paths();
        byte[] place = settings.noWatch() ? settings.directory() : settings.watch();
        try {
            byte[] tree = paths.canonical(place == null ? paths.workingDirectory() : place);
            return Provenance.marked(ChildEnvironment.scrubbed(killer.ownProcess().environment()),
                    ProcessHandle.current().pid(), tree);
        } catch (PathException e) {
            throw new UsageProblem("cannot determine the working directory: " + e.getMessage());
        }
    }

    private static byte[] directory(NativePaths paths, byte[] directory) throws UsageProblem {
        if (directory == null) {
            return null;
        }
        try {
            paths.checkEnterableDirectory(directory);
            return directory;
        } catch (PathException e) {
            throw new UsageProblem("cannot use -C '" + Printable.of(directory) + "': " + e.getMessage());
        }
    }

    /**
     * The path to watch: {@code --watch}, or the working directory. A watch that cannot be set up is
     * tether's failure, never a silent run without one: the tree would then outlive its worktree.
     */
    private static Watch watch(NativePaths paths, Settings settings) throws UsageProblem {
        if (settings.noWatch()) {
            return null;
        }
        byte[] path;
        if (settings.watch() != null) {
            path = settings.watch();
            // An empty path names no file (open and stat say ENOENT); joined to the working directory it
            // would silently watch that instead, as -C '' would run there: both are refused.
            if (path.length == 0) {
                throw new UsageProblem("cannot watch '': No such file or directory");
            }
        } else {
            try {
                path = paths.workingDirectory();
            } catch (PathException e) {
                throw new UsageProblem("cannot determine the working directory to watch: " + e.getMessage()
                        + " (--no-watch runs without a watch)");
            }
        }
        try {
            return new Watch(paths.watch(path), Printable.of(path));
        } catch (PathException e) {
            throw new UsageProblem("cannot watch '" + Printable.of(path) + "': " + e.getMessage()
                    + (settings.watch() == null ? " (--no-watch runs without a watch)" : ""));
        }
    }

    private static final class OwnThreadFailure implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            if (Supervisor.failed(thread, e)) {
                return;
            }
            Fatal.print("internal error on " + thread.getName() + ": " + e);
            Log.trace(e);
            Runtime.getRuntime().halt(OWN_FAILURE);
        }
    }

    /** A bad option value found after parsing, such as a missing directory: 125 with one line. */
    static final class UsageProblem extends Exception {
        private static final long serialVersionUID = 1L;

        UsageProblem(String message) {
            super(message);
        }
    }
}

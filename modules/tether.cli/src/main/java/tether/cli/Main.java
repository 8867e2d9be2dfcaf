package tether.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;
import tether.api.SpawnRequest;

/** The entry point: reads the command line, supervises, and exits with the status of SPEC §2. */
public final class Main {

    /** The shell's status for a failure of tether itself rather than of COMMAND. */
    static final int OWN_FAILURE = 125;

    private Main() {}

    /**
     * Halts rather than exits: there are no shutdown hooks to run, and {@code System.exit} first sets up
     * the JDK's logging of the exit, which costs milliseconds after the tree is already gone.
     */
    public static void main(String[] args) {
        int status = run(args);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] args) {
        CommandLineParser.Parsed parsed;
        try {
            parsed = CommandLineParser.parse(args, System.getenv("TETHER_LOG"));
        } catch (CommandLineParser.UsageException e) {
            Fatal.print(e.getMessage() + " (see 'tether --help')");
            return OWN_FAILURE;
        }
        if (parsed instanceof CommandLineParser.Print print) {
            System.out.print(print.text());
            System.out.flush();
            return 0;
        }
        Settings settings = ((CommandLineParser.Run) parsed).settings();
        Log.setLevel(settings.logLevel());
        try {
            return supervise(args, settings);
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

    private static int supervise(String[] args, Settings settings) throws Exception {
        ProcessTreeKiller killer = ProcessTreeKiller.forThisPlatform()
                .orElseThrow(() -> new UsageProblem("no process-tree provider supports "
                        + System.getProperty("os.name")));
        List<byte[]> raw = RawArguments.of(args);
        Path directory = directory(settings.directory());
        Watch watch = watch(settings);
        boolean detachedSupervisor = Detach.isDetachedSupervisor();
        if (settings.detach() && !detachedSupervisor) {
            // Options are checked above, so that their errors are this tether's; the detached one does the rest.
            return Detach.start(killer, raw, settings.log());
        }
        SpawnRequest request = new SpawnRequest(raw.subList(settings.commandStart(), raw.size()), directory,
                ChildEnvironment.current(), settings.signal(), settings.grace());
        Detach.Reporter reporter = detachedSupervisor ? Detach.Reporter.open() : null;
        try {
            return new Supervisor(killer, request, watch, settings.poll())
                    .run(reporter == null ? () -> {} : reporter::started);
        } catch (SpawnException e) {
            if (reporter != null) {
                reporter.failed(e.reason().exitStatus(), e.getMessage());
            }
            throw e;
        }
    }

    private static Path directory(String directory) throws UsageProblem {
        if (directory == null) {
            return null;
        }
        Path path = path(directory, "-C");
        if (!Files.isDirectory(path)) {
            throw new UsageProblem("cannot use -C '" + directory + "': "
                    + (Files.exists(path) ? "Not a directory" : "No such file or directory"));
        }
        return path.toAbsolutePath();
    }

    /**
     * The path to watch. An explicit {@code --watch} must exist; the working directory is watched only
     * if it can be determined, since a wrong guess would mean a false teardown.
     */
    private static Watch watch(Settings settings) throws UsageProblem {
        if (settings.noWatch()) {
            return null;
        }
        if (settings.watch() != null) {
            Path path = path(settings.watch(), "--watch").toAbsolutePath();
            try {
                return Watch.of(path);
            } catch (IOException e) {
                throw new UsageProblem("cannot watch '" + settings.watch() + "': " + Problems.reason(e));
            }
        }
        String cwd = System.getProperty("user.dir");
        try {
            return Watch.of(Path.of(cwd));
        } catch (IOException | InvalidPathException e) {
            Log.warn("cannot determine the working directory ({}); watching nothing", e.getMessage());
            return null;
        }
    }

    private static Path path(String text, String option) throws UsageProblem {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageProblem("invalid path for " + option + " '" + text + "': " + e.getReason());
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

package tether.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tether.api.TreeSignal;

/**
 * The command line of {@code tether}: the one definition of its options, from which picocli builds the
 * help, the man page and the completions. {@link FastParser} reads the common cases into the same fields
 * without picocli, and a test proves the two agree; {@link CommandLineParser} checks what neither can.
 */
@Command(
        name = "tether",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        headerHeading = "",
        header = "Run COMMAND and make sure its whole process tree dies with it.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = "tether [OPTIONS] [--] COMMAND [ARG...]",
        descriptionHeading = "%n",
        description = {
            "COMMAND runs directly (not through a shell) as the leader of a new process group. The group is",
            "torn down - the first signal, then SIGKILL after the grace period - when COMMAND exits, when",
            "tether gets SIGINT, SIGTERM or SIGHUP, or when the watched path (tether's working directory unless",
            "told otherwise) is removed or replaced, as by `git worktree remove`.",
            "Options end at COMMAND: everything after it, or after a first `--`, goes to COMMAND verbatim."
        },
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  tether -- npm run dev                   stops npm and all it started when this worktree is removed",
            "  tether --grace 5s -- ./server --port 8080   gives the server 5s to shut down",
            "  tether -C web --signal INT npm run dev  runs in web/, still watching the current directory",
            "  tether --no-watch -- make watch         tears down only on exit or signal",
            "  tether --detach --log .dev.log -- npm run dev   from a git hook: returns at once",
            "",
            "Exit status: COMMAND's own (128+N if signal N killed it); 0 after the watched path was removed;",
            "130/143/129 after tether's SIGINT/SIGTERM/SIGHUP; 127 COMMAND not found; 126 COMMAND not",
            "executable; 125 tether's own failure.",
            "",
            "TETHER_LOG=warn|info|debug|trace sets the log level like -v.",
            "",
            "Logs: tether writes diagnostics to stderr only. A detached tether and its COMMAND write to the",
            "--log file (appended; follow it with `tail -f FILE`), or nowhere without --log."
        })
final class Options {

    static final String DEFAULT_POLL = "250ms";
    static final String DEFAULT_GRACE = "1s";
    static final String DEFAULT_SIGNAL = "TERM";

    @Option(names = {"-C", "--cwd"}, paramLabel = "DIR",
            description = "Run COMMAND in DIR; the watch stays on tether's own directory.")
    String directory;

    @Option(names = {"-w", "--watch"}, paramLabel = "PATH",
            description = "Tear the tree down when PATH is removed or replaced (default: the current directory).")
    String watch;

    @Option(names = "--no-watch", description = "Watch nothing: tear down only when COMMAND exits or tether is signalled.")
    boolean noWatch;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = DEFAULT_POLL,
            description = "How often the watched path is checked, at least 10ms (default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = DEFAULT_GRACE,
            description = "Time between the first signal and SIGKILL (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--signal", paramLabel = "NAME", defaultValue = DEFAULT_SIGNAL,
            completionCandidates = SignalNames.Candidates.class,
            description = "First teardown signal: " + SignalNames.ACCEPTED + " (default: ${DEFAULT-VALUE}).")
    TreeSignal signal;

    @Option(names = "--detach", description = "Return as soon as COMMAND has started; tether supervises on in a new "
            + "session, holding none of the caller's streams (for git hooks).")
    boolean detach;

    @Option(names = "--log", paramLabel = "FILE",
            description = "With --detach: append COMMAND's and tether's output to FILE (default: /dev/null).")
    String log;

    @Option(names = {"-v", "--verbose"}, description = "More diagnostics on stderr; repeat for debug and trace.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Nothing on stderr but fatal errors.")
    boolean quiet;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments.")
    List<String> command = new ArrayList<>();
}

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
 * without picocli, and a test proves the two agree, so a new option needs its row in {@link FastParser#TABLE}
 * as well; {@link CommandLineParser} checks what neither can.
 *
 * <p>Each element of the description and the footer is one paragraph, which picocli fills to the width,
 * with a blank element between paragraphs; the width is fixed so that the help is the same on every
 * terminal, as docs/usage.md shows it (a test holds the two together). The footer starts with the examples,
 * one element each, short enough to be wrapped neither in the help nor in the man page's indented block.
 * The man page takes the examples, and the paragraphs after them by their first words, from here.
 */
@Command(
        name = "tether",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpWidth = 80,
        sortOptions = false,
        headerHeading = "",
        header = "Run COMMAND and make sure its whole process tree dies with it.",
        synopsisHeading = "%nUsage: ",
        customSynopsis = {
            "tether [OPTIONS] [--] COMMAND [ARG...]",
            "       tether --list [--all] [--json] [PATH]",
            "       tether --stop [--all [--grace=DURATION] [--signal=NAME]] [PATH|PID...]"
        },
        descriptionHeading = "%n",
        description = {
            "COMMAND runs directly, not through a shell (write sh -c '...' for one), as the leader of a new"
                    + " process group. The group, and every descendant that left it, is torn down - the first signal,"
                    + " then SIGKILL after the grace period - when COMMAND exits, when a signal such as SIGINT, SIGTERM"
                    + " or SIGHUP asks tether to end (SIGUSR1 and SIGUSR2 are passed on to COMMAND's group instead),"
                    + " or when the watched path (tether's working directory unless told otherwise) is removed or"
                    + " replaced, as by `git worktree remove`.",
            "",
            "Options end at COMMAND: `tether npm run dev --port 3000` passes --port 3000 to npm, and everything"
                    + " after a first `--` is COMMAND verbatim.",
            "",
            "DURATION is a number and a unit: 250ms, 1.5s, 2m.",
            "",
            "--list and --stop find the tethers of this user (root: of every user) in the process table. A"
                    + " tether started with --no-watch counts as watching its working directory.",
            "",
            "With --all they also find every process of this user that lives in PATH (default: this directory)"
                    + " and that no tether holds: its working directory is or was inside PATH, or it carries the"
                    + " TETHER_TREE marker of a tether of PATH. --stop --all ends those first, as a teardown does,"
                    + " then the tethers. It never ends tether and what runs it, a terminal's foreground and the"
                    + " shells waiting for it, or another user's process (unless named by PID)."
        },
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  tether -- npm run dev                    # ends with this worktree",
            "  tether --grace 5s ./server --port 8080   # gives it 5s to shut down",
            "  tether -C web --signal INT npm run dev   # runs in web/, watches here",
            "  tether -w ../x.lock -- make watch        # ends when ../x.lock is gone",
            "  tether --no-watch -- make watch          # ends with make or a signal",
            "  tether --detach --log dev.log npm start  # in a hook: returns at once",
            "  tether --list                            # what runs where, on which port",
            "  tether --stop ../feature-x               # stops that worktree's tethers",
            "  tether --stop --all                      # ends all that still runs here",
            "",
            "Exit status: COMMAND's own, 128+N if signal N killed it; 0 after the watched path was removed;"
                    + " 128+N when signal N ended tether (130 for SIGINT, 143 for SIGTERM); 127 when COMMAND is not"
                    + " found, 126 when it is not executable; 125 for tether's own failure. --stop: 0 when every"
                    + " tether it matched has exited, 1 when nothing matched or one did not exit; with --all, 0 also"
                    + " when nothing was found, 1 when a process outlived SIGKILL.",
            "",
            "TETHER_LOG=warn|info|debug|trace sets the level of diagnostics when neither -v nor -q is given.",
            "",
            "Logs: tether writes diagnostics to stderr only. A detached tether and its COMMAND append to the --log"
                    + " file (follow it with `tail -f FILE`), or write nowhere without --log."
        })
final class Options {

    static final String DEFAULT_POLL = "250ms";
    static final String DEFAULT_GRACE = "1s";
    static final String DEFAULT_SIGNAL = "TERM";

    @Option(names = {"-C", "--cwd"}, paramLabel = "DIR",
            description = "Run COMMAND in DIR; the watch stays on tether's own directory.")
    String directory;

    @Option(names = {"-w", "--watch"}, paramLabel = "PATH",
            description = "Tear down when PATH is removed or replaced (default: tether's directory).")
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
            description = "First signal, with or without SIG: " + SignalNames.ACCEPTED
                    + " (default: ${DEFAULT-VALUE}).")
    TreeSignal signal;

    @Option(names = "--detach", description = "Return once COMMAND has started; tether supervises on in a new "
            + "session, holding none of the caller's streams (for git hooks).")
    boolean detach;

    @Option(names = "--log", paramLabel = "FILE",
            description = "With --detach: append COMMAND's and tether's output to FILE (default: /dev/null).")
    String log;

    @Option(names = "--list", description = "List the running tethers, or those watching PATH or a path "
            + "inside it: path, COMMAND, pid, processes, memory, listening ports, uptime, log.")
    boolean list;

    @Option(names = "--json", description = "With --list: one JSON array (with --all, one object), for scripts "
            + "(fields in the README).")
    boolean json;

    @Option(names = "--all", description = "With --list or --stop: also the processes no tether holds that live "
            + "in PATH (see above).")
    boolean all;

    @Option(names = "--stop", description = "Stop the tethers watching PATH (default: this directory) or a path "
            + "inside it, or with pid PID, as SIGTERM does, and wait until they exit.")
    boolean stop;

    @Option(names = {"-v", "--verbose"},
            description = "Lifecycle messages on stderr; -vv debug, -vvv trace with stack traces.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Nothing on stderr but fatal errors.")
    boolean quiet;

    /**
     * Hidden from the option list: the synopsis and the description say what COMMAND is. With --list and
     * --stop these are the PATH and PID operands; a run without COMMAND is refused after parsing.
     */
    @Parameters(paramLabel = "COMMAND", arity = "0..*", hidden = true)
    List<String> command = new ArrayList<>();
}

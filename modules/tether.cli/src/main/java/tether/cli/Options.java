package tether.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tether.api.TreeSignal;
import tether.cli.ready.Condition;

/**
 * The command line of {@code tether}: the one definition of its options and of the text of {@code --help},
 * from which the build writes the help (see {@link BuildTexts}), the man page and the shell completions
 * through picocli. At run time tether reads its arguments with {@link ArgumentParser}, whose table a test
 * holds to this model, and never loads picocli: building picocli's model costs more than the rest of a
 * start, and its Java 5 class files cannot be kept in the AOT cache.
 *
 * <p>The help has the shape of the coreutils tools': usage, a short paragraph, the options, DURATION, a few
 * examples, the exit status, and where the full documentation is; the long explanations are in the man page
 * and docs/usage.md. Each element of the description and the footer is one paragraph, filled to
 * {@link #HELP_WIDTH}, with a blank element between paragraphs; the width is fixed, so that the help reads
 * the same on every terminal and docs/usage.md can show it (a test holds the two together). The examples
 * are one element each, short enough to be wrapped neither in the help nor in the man page.
 */
@Command(
        name = "tether",
        usageHelpWidth = Options.HELP_WIDTH,
        sortOptions = false,
        header = Options.SUMMARY,
        synopsisHeading = "Usage: ",
        customSynopsis = {
            "tether [OPTION]... [--] COMMAND [ARG]...",
            "  or:  tether --list [--all] [--json] [PATH]",
            "  or:  tether --stop [--all [--grace=DURATION] [--signal=NAME]] [PATH|PID]..."
        },
        descriptionHeading = "",
        description = {
            Options.SUMMARY + ": when COMMAND exits, when tether is asked to end, or when the watched path (by"
                    + " default the working directory, such as a git worktree) is removed or replaced.",
            "",
            "Options end at COMMAND, the first word that is not an option; after a first --, everything is"
                    + " COMMAND's."
        },
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "DURATION is a number and a unit: 250ms, 1.5s, 2m.",
            "",
            Options.EXAMPLES_HEADING,
            "  tether -- npm run dev                    # ends with this worktree",
            "  tether --grace 5s ./server --port 8080   # gives it 5s to shut down",
            "  tether -C web --signal INT npm run dev   # runs in web/, watches here",
            "  tether --detach --log dev.log npm start  # in a hook: returns at once",
            "  tether --detach --ready port npm start   # returns once it listens",
            "  tether --list                            # what runs where, on which port",
            "  tether --stop ../feature-x               # stops that worktree's tethers",
            "  tether --stop --all                      # ends all that still runs here",
            "",
            Options.EXIT_STATUS_HEADING + " COMMAND's, or 128+N if signal N killed it; 0 after the watched path was"
                    + " removed; 128+N after signal N asked tether to end; 127 when COMMAND is not found, 126 when"
                    + " it cannot run; 125 when tether itself fails.",
            "",
            "Full documentation: man tether"
        })
final class Options {

    /** The help's width: a terminal's classic 80 columns, whatever the terminal it is printed on. */
    static final int HELP_WIDTH = 80;
    /** What tether does, in one line: the help's first paragraph starts with it, and the man page's NAME is it. */
    static final String SUMMARY = "Run COMMAND and make sure its whole process tree dies with it";
    static final String EXAMPLES_HEADING = "Examples:";
    static final String EXIT_STATUS_HEADING = "Exit status:";

    static final String DEFAULT_POLL = "250ms";
    /** The poll interval's floor: below it the watch costs more CPU than it is worth. */
    static final Duration MIN_POLL = Duration.ofMillis(10);
    static final String DEFAULT_GRACE = "1s";
    static final String DEFAULT_SIGNAL = "TERM";

    @Option(names = {"-C", "--cwd"}, paramLabel = "DIR",
            description = "run COMMAND in DIR; the watch stays where tether is")
    String directory;

    @Option(names = {"-w", "--watch"}, paramLabel = "PATH",
            description = "watch PATH instead of the working directory")
    String watch;

    @Option(names = "--no-watch", description = "watch nothing: end with COMMAND's exit or a signal")
    boolean noWatch;

    @Option(names = "--poll", paramLabel = "DURATION", defaultValue = DEFAULT_POLL,
            description = "check the watched path this often, at least 10ms (default: ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = DEFAULT_GRACE,
            description = "wait this long after the first signal before SIGKILL (default: ${DEFAULT-VALUE})")
    Duration grace;

    @Option(names = "--signal", paramLabel = "NAME", defaultValue = DEFAULT_SIGNAL,
            completionCandidates = SignalNames.Candidates.class,
            description = "the first signal: " + SignalNames.ACCEPTED + " (default: ${DEFAULT-VALUE})")
    TreeSignal signal;

    @Option(names = "--cgroup", description = "hold the tree in a cgroup of its own, or fail (Linux)")
    boolean cgroup;

    @Option(names = "--no-cgroup", description = "hold the tree by its process group alone")
    boolean noCgroup;

    @Option(names = "--detach", description = "return once COMMAND has started, and supervise it in the"
            + " background (for git hooks)")
    boolean detach;

    @Option(names = "--log", paramLabel = "FILE",
            description = "with --detach: append all output to FILE")
    String log;

    @Option(names = "--ready", paramLabel = "CONDITION", description = "wait until COMMAND is ready: port,"
            + " port:N, an http:// URL or output:REGEX")
    List<Condition> ready = new ArrayList<>();

    @Option(names = "--ready-timeout", paramLabel = "DURATION", description = "wait no longer: end the tree, exit 124"
            + " (default: " + ReadyOptions.DEFAULT_TIMEOUT + ")")
    Duration readyTimeout;

    @Option(names = "--keep-unready", description = "with --ready: keep the tree after the timeout")
    boolean keepUnready;

    @Option(names = "--ready-fd", paramLabel = "N", description = "with --ready: write a line to descriptor N once"
            + " ready")
    Integer readyFd;

    @Option(names = "--list", description = "list the running tethers, or those watching PATH")
    boolean list;

    @Option(names = "--json", description = "with --list: JSON for scripts (fields: man tether)")
    boolean json;

    @Option(names = "--all", description = "with --list or --stop: also processes no tether holds")
    boolean all;

    @Option(names = "--stop", description = "stop the tethers watching PATH (default: .) or PID")
    boolean stop;

    @Option(names = {"-v", "--verbose"},
            description = "more messages: -v lifecycle, -vv debug, -vvv trace")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "nothing on stderr but errors")
    boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true,
            description = "show version, commit, Java runtime and OS, and exit")
    boolean version;

    /**
     * Hidden from the option list: the synopsis and the description say what COMMAND is. With --list and
     * --stop these are the PATH and PID operands; a run without COMMAND is refused after parsing.
     */
    @Parameters(paramLabel = "COMMAND", arity = "0..*", hidden = true)
    List<String> command = new ArrayList<>();
}

package tether.cli;

import java.time.Duration;
import java.util.List;
import tether.cli.ready.Condition;

/**
 * {@code --ready} and the options that go with it, checked.
 *
 * @param conditions every one must have held before COMMAND counts as ready
 * @param timeout    how long tether waits for that, from COMMAND's start
 * @param keep       {@code --keep-unready}: the tree runs on after the timeout
 * @param fd         {@code --ready-fd}, or -1
 */
record ReadyOptions(List<Condition> conditions, Duration timeout, boolean keep, int fd) {

    /**
     * A minute: a cold start of a large webpack or Next.js project fits, and a hook that waits on a server that
     * will never come up still ends while someone is looking at it.
     */
    static final String DEFAULT_TIMEOUT = "60s";

    /** The lowest {@code --ready-fd}: 0, 1 and 2 are COMMAND's stdin, stdout and stderr. */
    static final int FIRST_FREE_FD = 3;

    /** The status {@code timeout(1)} gives a command it ended: scripts already know it as "took too long". */
    static final int TIMED_OUT = 124;

    /**
     * The checked options, or {@code null} without {@code --ready}.
     *
     * @param commandStdout the descriptor the launcher keeps COMMAND's stdout on, which {@code --ready-fd} must
     *                      not name
     */
    static ReadyOptions of(Options options, int commandStdout) throws CommandLineParser.UsageException {
        if (options.ready.isEmpty()) {
            for (String given : new String[] {
                    options.readyTimeout != null ? "--ready-timeout" : null,
                    options.keepUnready ? "--keep-unready" : null,
                    options.readyFd != null ? "--ready-fd" : null}) {
                if (given != null) {
                    throw new CommandLineParser.UsageException(given + " goes with --ready");
                }
            }
            return null;
        }
        Duration timeout = options.readyTimeout == null ? Durations.parse(DEFAULT_TIMEOUT) : options.readyTimeout;
        int fd = options.readyFd == null ? -1 : options.readyFd;
        if (fd >= 0 && options.detach) {
            throw new CommandLineParser.UsageException("--ready-fd and --detach cannot be combined (with --detach, "
                    + "tether itself returns once COMMAND is ready)");
        }
        if (fd >= 0 && fd == commandStdout && commandStdout != 1) {
            throw new CommandLineParser.UsageException("invalid --ready-fd '" + fd + "': tether's launcher keeps "
                    + "COMMAND's stdout there (use another descriptor)");
        }
        if (options.detach && options.log == null) {
            for (Condition condition : options.ready) {
                if (condition instanceof Condition.Output) {
                    throw new CommandLineParser.UsageException("--ready " + Condition.OUTPUT + " with --detach needs "
                            + "--log (the detached tether reads COMMAND's output from its FILE)");
                }
            }
        }
        return new ReadyOptions(List.copyOf(options.ready), timeout, options.keepUnready, fd);
    }
}

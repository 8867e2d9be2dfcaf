package tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.Printable;
import tether.api.ProcessTreeKiller;

/**
 * {@code tether --stop [PATH|PID...]}: SIGTERM to each tether named, which tears its tree down as for any
 * SIGTERM, then a wait until every one has exited. A tether is given its own grace period and
 * {@link #MARGIN} more: its teardown ends with SIGKILL at the grace deadline, so only a tether that cannot
 * run at all (stopped, or starved) is still there after that.
 */
final class StopCommand {

    static final Duration MARGIN = Duration.ofSeconds(5);
    static final int NOTHING_STOPPED = 1;
    /** Enough of COMMAND to tell the tethers of one worktree apart, short enough for one line. */
    static final int COMMAND_SHOWN = 40;
    /** How often the stopped tethers are looked for; each look reads one {@code /proc} file per tether. */
    private static final Duration LOOK = Duration.ofMillis(10);

    private StopCommand() {}

    /** What --stop reports: lines for stdout, lines for stderr, and the exit status. */
    record Outcome(List<String> stopped, List<String> problems, int status) {}

    static Outcome run(ProcessTreeKiller killer, List<byte[]> targets) throws IOException, PathException, InterruptedException {
        return run(killer, targets, false);
    }

    /**
     * @param noneIsFine whether a PATH that no tether watches, or that is gone, is no problem, as for
     *                   {@code --stop --all}, which ends the other processes there first, those of a removed
     *                   worktree too
     */
    static Outcome run(ProcessTreeKiller killer, List<byte[]> targets, boolean noneIsFine)
            throws IOException, PathException, InterruptedException {
        Census census = killer.census();
        List<Sighting> all = Sighting.all(census);
        byte[] current = killer.paths().workingDirectory();
        ShortPaths paths = ListCommand.shortPaths(killer, census, current);
        List<String> problems = new ArrayList<>();
        Map<Long, Sighting> chosen = new LinkedHashMap<>();
        for (byte[] target : targets.isEmpty() ? List.of(new byte[] {'.'}) : targets) {
            String missing = isPid(target) || noneIsFine ? null : ListCommand.missing(killer, target);
            if (missing != null) {
                problems.add("cannot stop '" + Printable.of(target) + "': " + missing);
                continue;
            }
            List<Sighting> matched = matching(all, target, census, current);
            if (matched.isEmpty() && !noneIsFine) {
                problems.add(isPid(target) ? "no tether has pid " + Printable.of(target)
                        : "no tether is watching '" + Printable.of(target) + "' or a path inside it");
            }
            for (Sighting tether : matched) {
                chosen.putIfAbsent(tether.pid(), tether);
            }
        }
        List<Sighting> asked = new ArrayList<>();
        for (Sighting tether : chosen.values()) {
            try {
                if (census.askToEnd(tether.process())) {
                    asked.add(tether);
                }
            } catch (IOException e) {
                problems.add("cannot stop tether " + tether.pid() + ": " + e.getMessage());
            }
        }
        List<String> stopped = new ArrayList<>();
        for (Sighting tether : awaitExits(census, asked)) {
            problems.add("tether " + tether.pid() + " (" + describe(tether, paths) + ") did not exit within "
                    + Durations.format(tether.grace().plus(MARGIN)) + " of SIGTERM");
            asked.remove(tether);
        }
        for (Sighting tether : asked) {
            stopped.add("stopped " + tether.pid() + " (" + describe(tether, paths) + ")");
        }
        return new Outcome(stopped, problems, problems.isEmpty() ? 0 : NOTHING_STOPPED);
    }

    /** A PID names one tether; a PATH every tether that watches it or a path inside it. */
    private static List<Sighting> matching(List<Sighting> all, byte[] target, Census census, byte[] current) {
        if (isPid(target)) {
            long pid = Long.parseLong(new String(target, StandardCharsets.US_ASCII));
            List<Sighting> found = new ArrayList<>();
            for (Sighting tether : all) {
                if (tether.pid() == pid) {
                    found.add(tether);
                }
            }
            return found;
        }
        byte[] path = census.canonical(PathBytes.resolve(current, target));
        return ListCommand.within(all, path);
    }

    /** Digits only: a directory named so is given as {@code ./123}. */
    static boolean isPid(byte[] target) {
        if (target.length == 0 || target.length > 18) {
            return false;
        }
        for (byte b : target) {
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }

    /** Waits until each has exited or passed its deadline; returns those still running. */
    private static List<Sighting> awaitExits(Census census, List<Sighting> asked) throws InterruptedException {
        long start = System.nanoTime();
        List<Sighting> waiting = new ArrayList<>(asked);
        List<Sighting> late = new ArrayList<>();
        while (!waiting.isEmpty()) {
            long elapsed = System.nanoTime() - start;
            for (Sighting tether : List.copyOf(waiting)) {
                if (!census.isRunning(tether.process())) {
                    waiting.remove(tether);
                } else if (elapsed > tether.grace().plus(MARGIN).toNanos()) {
                    waiting.remove(tether);
                    late.add(tether);
                }
            }
            if (!waiting.isEmpty()) {
                Thread.sleep(LOOK);
            }
        }
        return late;
    }

    /** COMMAND, cut to {@link #COMMAND_SHOWN} characters, and the path the tether watched. */
    private static String describe(Sighting tether, ShortPaths paths) {
        String command = TetherTable.cutEnd(Commands.describe(tether.command()), COMMAND_SHOWN);
        return tether.watch() == null ? command : command + " watching " + paths.of(tether.watch());
    }
}

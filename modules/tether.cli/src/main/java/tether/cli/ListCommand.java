package tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tether.api.Census;
import tether.api.PathBytes;
import tether.api.PathException;
import tether.api.Printable;
import tether.api.ProcessTreeKiller;

/** {@code tether --list [--json] [PATH]}: what runs where, read from the process table. */
final class ListCommand {

    /** The width of a terminal that does not know its own, as {@code ps} takes it. */
    static final int DEFAULT_TERMINAL_WIDTH = 80;
    /** The status of a --list whose PATH is not there, as --stop's for a PATH that matches nothing. */
    static final int NO_SUCH_PATH = 1;

    private ListCommand() {}

    /** A PATH that is not there: a mistyped path would otherwise list nothing and look like success. */
    static final class MissingPath extends Exception {
        private static final long serialVersionUID = 1L;

        MissingPath(String message) {
            super(message);
        }
    }

    /**
     * The text to print: the table's lines, fitted to {@code width} columns, or the JSON array; nothing for no
     * tethers without --json.
     */
    static String run(ProcessTreeKiller killer, CommandLineParser.Listing listing, int width)
            throws IOException, PathException, MissingPath, InterruptedException {
        long start = System.nanoTime();
        Census census = killer.census();
        byte[] current = killer.paths().workingDirectory();
        String missing = listing.path() == null ? null : missing(killer, listing.path());
        if (missing != null) {
            throw new MissingPath("cannot list '" + Printable.of(listing.path()) + "': " + missing);
        }
        List<Sighting> tethers = Sighting.all(census);
        if (Log.enabled(LogLevel.DEBUG)) {
            Log.debug("found {} tether(s) in {} us", tethers.size(), (System.nanoTime() - start) / 1000);
        }
        if (listing.path() != null) {
            byte[] path = census.canonical(PathBytes.resolve(current, listing.path()));
            tethers = within(tethers, path);
        }
        Map<Sighting, Boolean> ready = ReadyNow.of(tethers);
        if (listing.json()) {
            return TetherJson.of(tethers, ready);
        }
        List<String> lines = TetherTable.lines(tethers, ready, shortPaths(killer, census, current), Instant.now(), width);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    /**
     * The OS's reason why {@code path} cannot be found, or {@code null} when it is there. Asked the way a watch
     * on it starts, which is what a tether watching it did; the process ends soon after, and the watch with it.
     */
    static String missing(ProcessTreeKiller killer, byte[] path) {
        try {
            killer.paths().watch(path);
            return null;
        } catch (PathException e) {
            return e.getMessage();
        }
    }

    /**
     * How wide the table may be: {@code COLUMNS} when it is a number, as for {@code ps} and {@code systemctl};
     * otherwise the terminal's width when stdout is one; no limit when it is not (a pipe, a file), where a cut
     * would only lose what a script or a pager could show.
     */
    static int width(ProcessTreeKiller killer, String columnsVariable) {
        try {
            int columns = columnsVariable == null ? 0 : Integer.parseInt(columnsVariable.strip());
            if (columns > 0) {
                return columns;
            }
        } catch (NumberFormatException e) {
            // not a number: as if unset
        }
        int terminal = killer.ownProcess().terminalColumns(ChildEnvironment.commandStdout());
        return terminal < 0 ? Integer.MAX_VALUE : terminal == 0 ? DEFAULT_TERMINAL_WIDTH : terminal;
    }

    /** The tethers that belong to {@code path} (canonical), as {@link Sighting#isWithin} decides. */
    static List<Sighting> within(List<Sighting> tethers, byte[] path) {
        List<Sighting> within = new ArrayList<>();
        for (Sighting tether : tethers) {
            if (tether.isWithin(path)) {
                within.add(tether);
            }
        }
        return within;
    }

    /** Paths shown from the current directory and from HOME, as the calling shell would see them. */
    static ShortPaths shortPaths(ProcessTreeKiller killer, Census census, byte[] current) {
        byte[] home = null;
        for (byte[] entry : killer.ownProcess().environment()) {
            String text = new String(entry, StandardCharsets.ISO_8859_1);
            if (text.startsWith("HOME=/")) {
                home = census.canonical(Arrays.copyOfRange(entry, "HOME=".length(), entry.length));
            }
        }
        return new ShortPaths(current, home);
    }
}

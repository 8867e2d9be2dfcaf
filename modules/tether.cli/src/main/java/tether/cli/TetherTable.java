package tether.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --list} for a person: one line per tether, aligned columns, within the width it is given (the
 * terminal's, see {@link ListCommand#width}) however long the paths and commands are. What must be cut is cut
 * where it tells least: a path loses its start (the worktree's own name is at its end), a command and a port
 * list lose their end. CGROUP says whether the tree has a cgroup of its own, always: which tethers get one
 * depends on the machine (see docs/usage.md). The LOG column shows only when some tether has a log.
 * {@code --json} gives everything uncut.
 *
 * <p>The classes of {@code --list} use loops where streams and lambdas would read as well: a listing runs
 * once in a JVM that has not loaded or compiled them, and each lambda's first use costs about a millisecond
 * there (the whole listing took twice as long with them).
 */
final class TetherTable {

    private static final String GAP = "  ";
    private static final String CUT = "…";

    private enum Cut { NONE, START, END }

    /**
     * @param floor the width a column keeps while others can still give way; the order of {@link #NARROWING}
     *              says who gives way first
     */
    private record Column(String heading, boolean rightAligned, Cut cut, int floor) {}

    private static final Column PID = new Column("PID", true, Cut.NONE, 0);
    private static final Column WATCH = new Column("WATCH", false, Cut.START, 24);
    private static final Column COMMAND = new Column("COMMAND", false, Cut.END, 16);
    private static final Column PROCESSES = new Column("PROCS", true, Cut.NONE, 0);
    private static final Column CGROUP = new Column("CGROUP", false, Cut.NONE, 0);
    private static final Column PORTS = new Column("PORTS", false, Cut.END, 11);
    private static final Column UPTIME = new Column("UP", true, Cut.NONE, 0);
    private static final Column LOG = new Column("LOG", false, Cut.START, 12);

    /**
     * The log gives way first, then the command (its start tells what it is), the ports and last the watched
     * path, the worktree a person looks for; then each down to its heading.
     */
    private static final List<Column> NARROWING = List.of(LOG, COMMAND, PORTS, WATCH);

    private TetherTable() {}

    /** The table's lines, a heading first, within {@code width} columns as far as cuts allow; none for no tethers. */
    static List<String> lines(List<Sighting> tethers, ShortPaths paths, Instant now, int width) {
        if (tethers.isEmpty()) {
            return List.of();
        }
        boolean logs = false;
        for (Sighting t : tethers) {
            logs |= t.log() != null;
        }
        List<Column> columns = new ArrayList<>(List.of(PID, WATCH, COMMAND, PROCESSES, CGROUP, PORTS, UPTIME));
        if (logs) {
            columns.add(LOG);
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        for (Column column : columns) {
            headings.add(column.heading());
        }
        rows.add(headings);
        for (Sighting t : tethers) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(t.pid()),
                    t.watch() == null ? "-" : paths.of(t.watch()), Commands.describe(t.command()),
                    String.valueOf(t.processes()), t.cgroup() == null ? "-" : "yes", ports(t.ports()),
                    uptime(Duration.between(t.started(), now))));
            if (logs) {
                row.add(t.log() == null ? "" : paths.of(t.log()));
            }
            rows.add(row);
        }
        int[] widths = fit(columns, rows, width);
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                String cell = cut(row.get(c), widths[c], columns.get(c).cut());
                String padding = " ".repeat(widths[c] - length(cell));
                line.append(c == 0 ? "" : GAP).append(columns.get(c).rightAligned() ? padding + cell : cell + padding);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /**
     * Each column as wide as its widest cell; then, while the line is too long, the columns of
     * {@link #NARROWING} in turn narrowed to their floors, and then to their headings.
     */
    private static int[] fit(List<Column> columns, List<List<String>> rows, int limit) {
        int[] widths = new int[columns.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], length(row.get(c)));
            }
        }
        for (boolean toHeadings : new boolean[] {false, true}) {
            for (Column column : NARROWING) {
                int c = columns.indexOf(column);
                int floor = toHeadings ? column.heading().length() : column.floor();
                long excess = (long) GAP.length() * (widths.length - 1) - limit;
                for (int width : widths) {
                    excess += width;
                }
                if (c >= 0 && excess > 0) {
                    widths[c] = (int) Math.max(Math.min(widths[c], floor), widths[c] - excess);
                }
            }
        }
        return widths;
    }

    /** {@code text} cut at its end to {@code width} characters, the cut marked, as the COMMAND column is. */
    static String cutEnd(String text, int width) {
        return cut(text, width, Cut.END);
    }

    private static String cut(String cell, int width, Cut cut) {
        int length = length(cell);
        if (length <= width) {
            return cell;
        }
        int keep = width - CUT.length();
        return switch (cut) {
            case START -> CUT + cell.substring(cell.offsetByCodePoints(0, length - keep));
            case END, NONE -> cell.substring(0, cell.offsetByCodePoints(0, keep)) + CUT;
        };
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String ports(int[] ports) {
        if (ports.length == 0) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (int port : ports) {
            text.append(text.isEmpty() ? "" : ",").append(port);
        }
        return text.toString();
    }

    /** The largest two units that matter: 45s, 12m, 3h05m, 2d04h. */
    static String uptime(Duration up) {
        long seconds = Math.max(0, up.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86400, seconds % 86400 / 3600);
    }
}

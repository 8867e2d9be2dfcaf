package tether.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tether.api.Printable;

/**
 * {@code --list} for a person: one line per tether, aligned columns, within the width it is given (the
 * terminal's, see {@link ListCommand#width}) however long the paths and commands are. What must be cut is cut
 * where it tells least: a path loses its start (the worktree's own name is at its end), a command and a port
 * list lose their end. CGROUP says whether the tree has a cgroup of its own, always: which tethers get one
 * depends on the machine (see docs/usage.md). READY shows only when some tether has {@code --ready}, LOG only
 * when some tether has a log. {@code --json} gives everything uncut.
 *
 * <p>The classes of {@code --list} use loops where streams and lambdas would read as well: a listing runs
 * once in a JVM that has not loaded or compiled them, and each lambda's first use costs about a millisecond
 * there (the whole listing took twice as long with them).
 */
final class TetherTable {

    private static final String GAP = "  ";
    private static final String CUT = "…";

    enum Cut { NONE, START, END }

    /** The width of a column left out of the lines. */
    private static final int LEFT_OUT = -1;

    /**
     * @param floor the width a column keeps while others can still give way; the order of {@link #NARROWING}
     *              says who gives way first
     */
    record Column(String heading, boolean rightAligned, Cut cut, int floor) {}

    static final Column PID = new Column("PID", true, Cut.NONE, 0);
    private static final Column WATCH = new Column("WATCH", false, Cut.START, 24);
    private static final Column COMMAND = new Column("COMMAND", false, Cut.END, 16);
    static final Column PROCESSES = new Column("PROCS", true, Cut.NONE, 0);
    static final Column MEMORY = new Column("MEM", true, Cut.NONE, 0);
    private static final Column CGROUP = new Column("CGROUP", false, Cut.NONE, 0);
    static final Column PORTS = new Column("PORTS", false, Cut.END, 11);
    private static final Column READY = new Column("READY", false, Cut.NONE, 0);
    static final Column UPTIME = new Column("UP", true, Cut.NONE, 0);
    private static final Column LOG = new Column("LOG", false, Cut.START, 12);

    /**
     * The log gives way first, then the command (its start tells what it is), the ports and last the watched
     * path, the worktree a person looks for, each to its floor; then {@link #LEFT_OUT_FIRST}; then each of these
     * down to its heading.
     */
    private static final List<Column> NARROWING = List.of(LOG, COMMAND, PORTS, WATCH);

    /**
     * Once the columns that can be cut are at their floors, CGROUP is left out whole: {@code yes} or {@code -}
     * cannot be cut, and it tells least of a line, since whether a tree gets a cgroup depends on the machine and
     * the user more than on the tether ({@code --list --json} and {@code -v} still say it), where the columns
     * cut to their headings would no longer say which worktree or command a line is. READY never gives way:
     * whether a server is ready is what a person waits for.
     */
    private static final List<Column> LEFT_OUT_FIRST = List.of(CGROUP);

    private TetherTable() {}

    /**
     * The table's lines, a heading first, within {@code width} columns as far as cuts allow; none for no
     * tethers. READY shows when some tether has {@code --ready}: {@code yes}, {@code no}, {@code ?} when it
     * cannot be told from outside, {@code -} for one without.
     *
     * @param ready whether each tether's {@code --ready} holds, as {@link ReadyNow} answers
     */
    static List<String> lines(List<Sighting> tethers, Map<Sighting, Boolean> ready, ShortPaths paths, Instant now,
            int width) {
        if (tethers.isEmpty()) {
            return List.of();
        }
        boolean logs = false;
        boolean readiness = false;
        for (Sighting t : tethers) {
            logs |= t.log() != null;
            readiness |= !t.ready().isEmpty();
        }
        List<Column> columns = new ArrayList<>(List.of(PID, WATCH, COMMAND, PROCESSES, MEMORY, CGROUP, PORTS));
        if (readiness) {
            columns.add(READY);
        }
        columns.add(UPTIME);
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
                    String.valueOf(t.processes()), memory(t.memory()), t.cgroup() == null ? "-" : "yes",
                    ports(t.ports())));
            if (readiness) {
                Boolean holds = ready.get(t);
                row.add(t.ready().isEmpty() ? "-" : holds == null ? "?" : holds ? "yes" : "no");
            }
            row.add(uptime(Duration.between(t.started(), now)));
            if (logs) {
                row.add(t.log() == null ? "" : paths.of(t.log()));
            }
            rows.add(row);
        }
        return render(columns, rows, NARROWING, LEFT_OUT_FIRST, width);
    }

    /**
     * {@code rows}, the headings first, as aligned lines within {@code width} columns as far as cuts allow: the
     * columns of {@code narrowing} give way in that order to their floors, then those of {@code leftOut} are
     * left out in that order, then the columns of {@code narrowing} give way to their headings.
     */
    static List<String> render(List<Column> columns, List<List<String>> rows, List<Column> narrowing,
            List<Column> leftOut, int width) {
        int[] widths = fit(columns, rows, narrowing, leftOut, width);
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                if (widths[c] == LEFT_OUT) {
                    continue;
                }
                String cell = cut(row.get(c), widths[c], columns.get(c).cut());
                String padding = " ".repeat(widths[c] - length(cell));
                line.append(line.isEmpty() ? "" : GAP).append(columns.get(c).rightAligned() ? padding + cell : cell + padding);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /**
     * Each column as wide as its widest cell; then, while the line is too long, what {@link #render} says. A
     * column left out gives its width back to the columns cut before it: they are cut again from their full
     * widths, so the line still fills the width.
     */
    private static int[] fit(List<Column> columns, List<List<String>> rows, List<Column> narrowing,
            List<Column> leftOut, int limit) {
        int[] full = new int[columns.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < full.length; c++) {
                full[c] = Math.max(full[c], length(row.get(c)));
            }
        }
        int[] widths = full.clone();
        narrow(columns, widths, narrowing, false, limit);
        for (Column column : leftOut) {
            int c = columns.indexOf(column);
            if (c >= 0 && excess(widths, limit) > 0) {
                full[c] = LEFT_OUT;
                widths = full.clone();
                narrow(columns, widths, narrowing, false, limit);
            }
        }
        narrow(columns, widths, narrowing, true, limit);
        return widths;
    }

    /** The columns of {@code narrowing} in turn narrowed as far as needed: to their floors, or to their headings. */
    private static void narrow(List<Column> columns, int[] widths, List<Column> narrowing, boolean toHeadings,
            int limit) {
        for (Column column : narrowing) {
            int c = columns.indexOf(column);
            int floor = toHeadings ? column.heading().length() : column.floor();
            long excess = excess(widths, limit);
            if (c >= 0 && excess > 0) {
                widths[c] = (int) Math.max(Math.min(widths[c], floor), widths[c] - excess);
            }
        }
    }

    /** How many columns the line of these widths is wider than {@code limit}. */
    private static long excess(int[] widths, int limit) {
        long excess = -(long) limit - GAP.length();
        for (int width : widths) {
            excess += width == LEFT_OUT ? 0 : width + GAP.length();
        }
        return excess;
    }

    /** {@code text} cut at its end to {@code width} characters, the cut marked, as the COMMAND column is. */
    static String cutEnd(String text, int width) {
        return cut(text, width, Cut.END);
    }

    /**
     * A cut never splits one of {@link Printable}'s escapes: {@code \\u202e} cut to {@code \\u20} would
     * read as something else. The whole escape goes, and the cell may come out a little narrower.
     */
    private static String cut(String cell, int width, Cut cut) {
        int length = length(cell);
        if (length <= width) {
            return cell;
        }
        int keep = width - CUT.length();
        return switch (cut) {
            case START -> {
                int from = cell.offsetByCodePoints(0, length - keep);
                int token = 0;
                while (token < from) {
                    token = Printable.tokenEnd(cell, token);
                }
                yield CUT + cell.substring(token);
            }
            case END, NONE -> {
                int to = cell.offsetByCodePoints(0, keep);
                int token = 0;
                while (Printable.tokenEnd(cell, token) <= to) {
                    token = Printable.tokenEnd(cell, token);
                }
                yield cell.substring(0, token) + CUT;
            }
        };
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Bytes as a person reads them in a narrow column: 900K, 45M, 1.2G; {@code -} if unknown. */
    static String memory(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        long kib = (bytes + 1023) / 1024;
        if (kib < 1024) {
            return kib + "K";
        }
        long mib = (kib + 1023) / 1024;
        if (mib < 1024) {
            return mib + "M";
        }
        long tenths = (mib * 10 + 512) / 1024;
        return tenths / 10 + "." + tenths % 10 + "G";
    }

    static String ports(int[] ports) {
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

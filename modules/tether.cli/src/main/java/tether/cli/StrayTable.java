package tether.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tether.api.ProcessSurvey;
import tether.api.Resident;

/**
 * {@code --list --all} for a person, below the tethers: one line per tree of processes no tether holds, its
 * root's pid, working directory, command, age and why it counts, and the whole tree's process count, memory
 * and listening ports, laid out as the tethers' table ({@link TetherTable#render}). {@code --json} gives every
 * process of every tree.
 */
final class StrayTable {

    private static final TetherTable.Column DIRECTORY = new TetherTable.Column("CWD", false, TetherTable.Cut.START, 16);
    private static final TetherTable.Column COMMAND = new TetherTable.Column("COMMAND", false, TetherTable.Cut.END, 16);
    private static final TetherTable.Column WHY = new TetherTable.Column("WHY", false, TetherTable.Cut.END, 14);
    private static final List<TetherTable.Column> COLUMNS = List.of(TetherTable.PID, DIRECTORY, COMMAND,
            TetherTable.PROCESSES, TetherTable.MEMORY, TetherTable.PORTS, TetherTable.UPTIME, WHY);

    /** The command gives way first (its start tells what it is), then the reason, the ports and the directory. */
    private static final List<TetherTable.Column> NARROWING = List.of(COMMAND, WHY, TetherTable.PORTS, DIRECTORY);

    private StrayTable() {}

    /** The table's lines, a heading first, within {@code width} columns as far as cuts allow; none for no trees. */
    static List<String> lines(List<Strays.Group> groups, ProcessSurvey survey, ShortPaths paths, Instant now,
            int width) {
        if (groups.isEmpty()) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        for (TetherTable.Column column : COLUMNS) {
            headings.add(column.heading());
        }
        rows.add(headings);
        for (Strays.Group group : groups) {
            Strays.Stray root = group.root();
            Resident process = root.process();
            rows.add(List.of(String.valueOf(process.pid()), directory(root, paths),
                    Commands.describe(survey.command(process)), String.valueOf(group.processes().size()),
                    TetherTable.memory(group.memory(survey)), TetherTable.ports(survey.ports(group.residents())),
                    process.started() == null ? "-" : TetherTable.uptime(Duration.between(process.started(), now)),
                    why(group)));
        }
        return TetherTable.render(COLUMNS, rows, NARROWING, List.of(), width);
    }

    /** The root's working directory, marked when it was removed; {@code -} if it cannot be read. */
    private static String directory(Strays.Stray root, ShortPaths paths) {
        ProcessSurvey.Whereabouts where = root.where();
        if (where == null || where.directory() == null) {
            return "-";
        }
        return paths.of(where.directory()) + (where.directoryDeleted() ? " (deleted)" : "");
    }

    /** Why the tree is listed: kept, and why; or why its root counts. */
    static String why(Strays.Group group) {
        if (group.keep() != null) {
            return "kept: " + group.keep().json;
        }
        Strays.Stray root = group.root();
        return switch (root.reason()) {
            case CWD -> "cwd";
            case DELETED_CWD -> "cwd deleted";
            case MARKER -> "from tether " + root.marker().tether();
            case DESCENDANT -> "descendant";
            case CGROUP -> "cgroup of tether " + root.cgroup().tether();
            case NAMED -> "named";
        };
    }
}

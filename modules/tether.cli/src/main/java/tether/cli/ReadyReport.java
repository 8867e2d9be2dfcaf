package tether.cli;

import java.util.List;
import tether.api.NativePaths;
import tether.api.PathException;
import tether.api.Printable;
import tether.cli.ready.LogFile;

/**
 * The report of a detached tether that waited for {@code --ready}, one line on the report channel as every
 * report is (see {@link Detach}), and how the tether that started it shows it: {@code ready MESSAGE}, or
 * {@code unready STATUS OFFSET MESSAGE} when the tree ended or the timeout passed first, {@code OFFSET} being
 * where this run's part of the log begins (-1 without a log). On {@code unready} the waiting tether prints the
 * message and the last lines COMMAND wrote to the log, which is where a server that could not take its port
 * says so, and exits with the status.
 */
final class ReadyReport {

    private static final String READY = "ready ";
    private static final String UNREADY = "unready ";
    /** As many of the log's last lines as {@code tail} shows. */
    static final int LAST_LINES = 10;

    private ReadyReport() {}

    static String ready(String message) {
        return READY + message;
    }

    static String unready(int status, long logOffset, String message) {
        return UNREADY + status + " " + logOffset + " " + message;
    }

    static boolean isReadiness(String report) {
        return report.startsWith(READY) || report.startsWith(UNREADY);
    }

    /**
     * Shows {@code report} as this tether's own outcome and returns its status.
     *
     * @param log the {@code --log} file, or {@code null} without one
     */
    static int status(String report, NativePaths paths, byte[] log) {
        if (report.startsWith(READY)) {
            if (Log.enabled(LogLevel.WARN)) {
                // The lifecycle line a --detach --ready hook asked for, so shown without -v, as INFO (see Fatal).
                System.err.println("tether: INFO: " + report.substring(READY.length()));
                System.err.flush();
            }
            return 0;
        }
        String[] fields = report.substring(UNREADY.length()).split(" ", 3);
        int status;
        long offset;
        try {
            status = Integer.parseInt(fields[0]);
            offset = Long.parseLong(fields[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            Fatal.print("the detached tether reported: " + report);
            return Main.OWN_FAILURE;
        }
        String message = fields.length > 2 ? fields[2] : "not ready";
        if (log == null || offset < 0) {
            Fatal.print(message + " (give --log FILE to keep COMMAND's output)");
            return status;
        }
        List<String> lines;
        try {
            lines = LogFile.lastLines(paths, log, offset, LAST_LINES);
        } catch (PathException e) {
            Fatal.print(message + "; cannot read the log '" + Printable.of(log) + "': " + e.getMessage());
            return status;
        }
        if (lines.isEmpty()) {
            Fatal.print(message + "; COMMAND wrote nothing to '" + Printable.of(log) + "'");
            return status;
        }
        Fatal.print(message + "; the last lines COMMAND wrote to '" + Printable.of(log) + "':");
        for (String line : lines) {
            System.err.println("  " + visible(line));
        }
        System.err.flush();
        return status;
    }

    /** A line of COMMAND's as the terminal should show it: control characters but tabs made visible. */
    private static String visible(String line) {
        StringBuilder text = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            text.append(c < ' ' && c != '\t' || c == 0x7f ? '?' : c);
        }
        return text.toString();
    }
}

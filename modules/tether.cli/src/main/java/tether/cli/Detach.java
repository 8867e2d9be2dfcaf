package tether.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tether.api.OwnProcess;
import tether.api.Printable;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;

/**
 * {@code --detach}: the tether a hook runs starts a second tether, detached from the hook's session and
 * streams, waits only until that one has started COMMAND (or failed to, with 127, 126 or 125, reported
 * here as if it were this tether's own), and exits. The second tether is the same program with the same
 * arguments; it knows its role from {@link #REPORT_VARIABLE} and reports on the channel that names
 * (file descriptor 3 on Unix). With {@code --ready} the report waits for readiness (see {@link ReadyReport}).
 */
final class Detach {

    /** Set only in the detached tether's environment; never passed on to COMMAND. */
    static final String REPORT_VARIABLE = ProcessTreeKiller.REPORT_VARIABLE;

    private static final String STARTED = "0";

    private Detach() {}

    /** Whether this tether is the detached one, which supervises and reports. */
    static boolean isDetachedSupervisor() {
        return System.getenv(REPORT_VARIABLE) != null;
    }

    /** Starts the detached tether and returns this tether's exit status. */
    static int start(ProcessTreeKiller killer, List<byte[]> rawArgs, byte[] log) throws SpawnException {
        byte[] logFile = log == null ? killer.paths().nullDevice() : log;
        String report = killer.startDetached(rawArgs, killer.ownProcess().environment(), logFile);
        if (report == null) {
            Fatal.print("the detached tether ended before it started COMMAND ("
                    + (log == null ? "a --log FILE would hold its messages)" : "its messages are in '" + Printable.of(log) + "')"));
            return Main.OWN_FAILURE;
        }
        return ReadyReport.isReadiness(report) ? ReadyReport.status(report, killer.paths(), log) : statusOf(report);
    }

    /**
     * The exit status a report line stands for: {@code 0} once COMMAND started, or a status and the
     * detached tether's message, which is printed as this tether's own. A line that is neither is a
     * failure of tether's, shown as it came.
     */
    static int statusOf(String report) {
        if (report.equals(STARTED)) {
            return 0;
        }
        int space = report.indexOf(' ');
        try {
            int status = Integer.parseInt(space < 0 ? report : report.substring(0, space));
            Fatal.print(space < 0 ? "the detached tether failed" : report.substring(space + 1));
            return status;
        } catch (NumberFormatException e) {
            Fatal.print("the detached tether reported: " + report);
            return Main.OWN_FAILURE;
        }
    }

    /** The detached tether's side: one line on the report channel, then nothing more. */
    static final class Reporter {
        private final OutputStream out;

        private Reporter(OutputStream out) {
            this.out = out;
        }

        static Reporter open(OwnProcess self) throws IOException {
            return new Reporter(self.reportChannel(System.getenv(REPORT_VARIABLE)));
        }

        void started() {
            send(STARTED);
        }

        void failed(int status, String message) {
            send(status + " " + message);
        }

        /** One line, after which the channel is closed: a tether reports once. */
        void send(String line) {
            try (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the tether that waited for this is gone; there is no one left to tell
            }
        }
    }
}

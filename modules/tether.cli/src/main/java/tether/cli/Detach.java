package tether.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import tether.api.ProcessTreeKiller;
import tether.api.SpawnException;

/**
 * {@code --detach}: the tether a hook runs starts a second tether, detached from the hook's session and
 * streams, waits only until that one has started COMMAND (or failed to, with 127, 126 or 125, reported
 * here as if it were this tether's own), and exits. The second tether is the same program with the same
 * arguments; it knows its role from {@link #REPORT_VARIABLE} and reports on file descriptor 3.
 */
final class Detach {

    /** Set only in the detached tether's environment; never passed on to COMMAND. */
    static final String REPORT_VARIABLE = "TETHER_DETACHED_REPORT_FD";

    private static final String STARTED = "0";

    private Detach() {}

    /** Whether this tether is the detached one, which supervises and reports. */
    static boolean isDetachedSupervisor() {
        return System.getenv(REPORT_VARIABLE) != null;
    }

    /** Starts the detached tether and returns this tether's exit status. */
    static int start(ProcessTreeKiller killer, List<byte[]> rawArgs, String log) throws Main.UsageProblem, SpawnException {
        Path logFile = Path.of(log == null ? "/dev/null" : log).toAbsolutePath();
        try (OutputStream ignored = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            // opened here so that an unwritable log is this tether's error, reported now
        } catch (IOException e) {
            throw new Main.UsageProblem("cannot open the log '" + log + "': " + Problems.reason(e));
        }
        String report = killer.startDetached(command(rawArgs), environment(), logFile);
        if (report == null) {
            Fatal.print("the detached tether ended before it started COMMAND; see " + logFile);
            return Main.OWN_FAILURE;
        }
        if (report.equals(STARTED)) {
            return 0;
        }
        int space = report.indexOf(' ');
        Fatal.print(report.substring(space + 1));
        return Integer.parseInt(report.substring(0, space));
    }

    /** The same JVM, options (baked into the image), AOT cache and arguments as this tether's. */
    private static List<byte[]> command(List<byte[]> rawArgs) {
        Path home = Path.of(System.getProperty("java.home"));
        List<byte[]> command = new ArrayList<>();
        command.add(home.resolve("bin/java").toString().getBytes(NativeCharset.get()));
        Path cache = home.resolve("lib/tether.aot");
        if (Files.exists(cache)) {
            command.add(("-XX:AOTCache=" + cache).getBytes(NativeCharset.get()));
        }
        command.add("-m".getBytes(StandardCharsets.US_ASCII));
        command.add((Main.class.getModule().getName() + "/" + Main.class.getName()).getBytes(StandardCharsets.US_ASCII));
        command.addAll(rawArgs);
        return command;
    }

    private static List<byte[]> environment() {
        List<byte[]> environment = new ArrayList<>(ChildEnvironment.unscrubbed());
        environment.add((REPORT_VARIABLE + "=3").getBytes(StandardCharsets.US_ASCII));
        return environment;
    }

    /** The detached tether's side: one line on descriptor 3, then nothing more. */
    static final class Reporter {
        private final OutputStream out;

        private Reporter(OutputStream out) {
            this.out = out;
        }

        /** Reopens descriptor 3 through {@code /proc/self/fd}, which Java has no other way to reach. */
        static Reporter open() throws IOException {
            return new Reporter(new FileOutputStream("/proc/self/fd/" + System.getenv(REPORT_VARIABLE)));
        }

        void started() {
            send(STARTED);
        }

        void failed(int status, String message) {
            send(status + " " + message);
        }

        private void send(String line) {
            try (out) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the tether that waited for this is gone; there is no one left to tell
            }
        }
    }
}

package tether.unix.linux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tether.api.PathBytes;
import tether.api.Printable;

/**
 * The talk with the image's {@code lib/tether-spawn}, which starts COMMAND inside its cgroup (its source,
 * {@code jlink/src/image/linux/spawn/tether-spawn.c}, says why a helper does it and how): what tether writes
 * on the helper's {@link #ORDERS_FD}, and what the helper answers on its {@link #REPORT_FD}.
 */
public final class SpawnHelper {

    /** Where the helper reads its orders: COMMAND's cgroup, arguments and environment. */
    public static final int ORDERS_FD = 3;
    /**
     * Where the helper reports its own cgroup, then COMMAND's pid or the call that failed. It is the helper's
     * stderr too, until it gives COMMAND back the real one, which waits on {@link #STDERR_FD}: what
     * systemd-run says when it cannot make a scope comes to tether.
     */
    public static final int REPORT_FD = 4;
    public static final int STDERR_FD = 5;
    /** The helper's place in the runtime image, from the launcher, bin/tether. */
    private static final byte[] LOCATION = "../../lib/tether-spawn".getBytes(StandardCharsets.US_ASCII);

    private SpawnHelper() {}

    /** The helper of the image whose launcher is {@code launcher} (tether's own program, {@code bin/tether}). */
    public static byte[] beside(byte[] launcher) {
        return PathBytes.normal(PathBytes.resolve(launcher, LOCATION));
    }

    /**
     * The orders: the cgroup's directory, the argument count and the arguments, the environment's count and
     * entries, each string NUL-terminated, as the helper's main reads them.
     */
    public static byte[] orders(byte[] cgroup, List<byte[]> command, List<byte[]> environment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, cgroup);
        strings(out, command);
        strings(out, environment);
        return out.toByteArray();
    }

    private static void strings(ByteArrayOutputStream out, List<byte[]> strings) {
        string(out, Integer.toString(strings.size()).getBytes(StandardCharsets.US_ASCII));
        for (byte[] string : strings) {
            string(out, string);
        }
    }

    private static void string(ByteArrayOutputStream out, byte[] string) {
        out.writeBytes(string);
        out.write(0);
    }

    /**
     * What the helper reported, line by line: its own cgroup ("cgroup PATH"), COMMAND's pid ("pid N"), and the
     * call that failed with its errno ("error CALL ERRNO"; "exec" when COMMAND could not be run). Any other
     * line was written to the helper's stderr before it ran: systemd-run's.
     *
     * @param cgroup     the helper's own cgroup as {@code /proc/self/cgroup} names it, or {@code null}
     * @param pid        COMMAND's pid, or 0 if no process was made
     * @param failedCall the call that failed, or {@code null}
     * @param errno      its error number
     * @param said       the other lines, joined by "; ", or an empty string
     */
    public record Report(byte[] cgroup, int pid, String failedCall, int errno, String said) {

        /** The report in {@code text}. */
        public static Report parse(byte[] text) {
            byte[] cgroup = null;
            int pid = 0;
            String failedCall = null;
            int errno = 0;
            StringBuilder said = new StringBuilder();
            int start = 0;
            for (int i = 0; i <= text.length; i++) {
                if (i < text.length && text[i] != '\n') {
                    continue;
                }
                byte[] line = java.util.Arrays.copyOfRange(text, start, i);
                start = i + 1;
                String words = new String(line, StandardCharsets.ISO_8859_1);
                if (words.startsWith("cgroup ")) {
                    cgroup = java.util.Arrays.copyOfRange(line, "cgroup ".length(), line.length);
                } else if (words.startsWith("pid ")) {
                    pid = number(words.substring("pid ".length()));
                } else if (words.startsWith("error ") && words.lastIndexOf(' ') > "error ".length()) {
                    int space = words.lastIndexOf(' ');
                    failedCall = words.substring("error ".length(), space);
                    errno = number(words.substring(space + 1));
                } else if (!words.isBlank()) {
                    said.append(said.isEmpty() ? "" : "; ").append(Printable.of(line).strip());
                }
            }
            return new Report(cgroup, pid, failedCall, errno, said.toString());
        }

        private static int number(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** Whether COMMAND itself could not be run, as posix_spawnp would have said. */
        public boolean commandFailed() {
            return "exec".equals(failedCall);
        }
    }
}

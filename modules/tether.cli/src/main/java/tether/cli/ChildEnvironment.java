package tether.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command's environment: the one tether was started with, byte for byte, minus the variables through
 * which a long-lived child could redirect or inject commands into the shell that started tether (worktrunk's
 * shell integration reads these files after the hook returns), and tether's own hand-over variable.
 *
 * <p>The one tether was started with ({@code OwnProcess.environment()}), not its JVM's: the Unix launcher
 * ({@code jlink/src/image/unix/launcher/tether.c}) runs the JVM in its own process, and changes the
 * process's environment for it (JAVA_TOOL_OPTIONS and the like removed, {@link #COMMAND_STDOUT_VARIABLE}
 * set), which {@code /proc/self/environ} never shows.
 */
final class ChildEnvironment {

    static final Set<String> SCRUBBED = Set.of(
            "WORKTRUNK_DIRECTIVE_CD_FILE",
            "WORKTRUNK_DIRECTIVE_EXEC_FILE",
            "WORKTRUNK_DIRECTIVE_FILE",
            "WORKTRUNK_SHELL_CWD",
            Detach.REPORT_VARIABLE);

    /**
     * The descriptor on which the launcher keeps COMMAND's stdout, while the JVM's own stdout is stderr
     * so that nothing the JVM prints reaches COMMAND's output. Set in the JVM's environment only: a user's
     * own is COMMAND's.
     */
    static final String COMMAND_STDOUT_VARIABLE = "TETHER_STDOUT_FD";

    private ChildEnvironment() {}

    /** The descriptor that is COMMAND's stdout: the launcher's, or 1 when the JVM was started without it. */
    static int commandStdout() {
        String fd = System.getenv(COMMAND_STDOUT_VARIABLE);
        try {
            return fd == null ? 1 : Integer.parseInt(fd);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static List<byte[]> scrubbed(List<byte[]> entries) {
        List<byte[]> kept = new ArrayList<>(entries.size());
        for (byte[] entry : entries) {
            if (!SCRUBBED.contains(name(entry))) {
                kept.add(entry);
            }
        }
        return kept;
    }

    /** Up to the first '=', or the whole entry if it has none. */
    static String name(byte[] entry) {
        int end = 0;
        while (end < entry.length && entry[end] != '=') {
            end++;
        }
        return new String(entry, 0, end, StandardCharsets.ISO_8859_1);
    }
}

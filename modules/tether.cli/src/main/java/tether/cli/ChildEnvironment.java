package tether.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command's environment: tether's own, byte for byte, minus the variables through which a
 * long-lived child could redirect or inject commands into the shell that started tether (worktrunk's
 * shell integration reads these files after the hook returns), and tether's own hand-over variable.
 *
 * <p>tether's own is what the user started tether with, not what its JVM got: the Unix launcher
 * ({@code jlink/src/image/unix/launcher/tether.c}) hides from the JVM the variables meant for the user's
 * Java (JAVA_TOOL_OPTIONS and the like) by prefixing their names with {@link #STASH_PREFIX}, and adds its
 * own {@link #SET_BY_LAUNCHER}; both are undone here.
 */
final class ChildEnvironment {

    static final Set<String> SCRUBBED = Set.of(
            "WORKTRUNK_DIRECTIVE_CD_FILE",
            "WORKTRUNK_DIRECTIVE_EXEC_FILE",
            "WORKTRUNK_DIRECTIVE_FILE",
            "WORKTRUNK_SHELL_CWD",
            Detach.REPORT_VARIABLE);

    static final String STASH_PREFIX = "TETHER_STASHED_";

    /**
     * The names the launcher stashes, as its {@code STASHED} lists them (with the reason for each there);
     * ChildEnvironmentTest holds the two lists equal.
     */
    static final List<String> STASHED = List.of(
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "_JAVA_LAUNCHER_DEBUG",
            "_JAVA_SR_SIGNUM",
            "JDK_ALTERNATE_VM",
            "CLASSPATH",
            "LD_LIBRARY_PATH",
            "MALLOC_ARENA_MAX",
            ChildEnvironment.COMMAND_STDOUT_VARIABLE);

    /**
     * The descriptor on which the launcher keeps COMMAND's stdout, while the JVM's own stdout is stderr
     * so that nothing the JVM prints reaches COMMAND's output.
     */
    static final String COMMAND_STDOUT_VARIABLE = "TETHER_STDOUT_FD";

    /** The launcher's own settings for the JVM; the user's own, if any, came stashed. */
    static final Set<String> SET_BY_LAUNCHER = Set.of("_JAVA_SR_SIGNUM", "MALLOC_ARENA_MAX", COMMAND_STDOUT_VARIABLE);

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

    static List<byte[]> current() {
        return scrubbed(unscrubbed());
    }

    /**
     * The environment tether was started with, before the scrub. A detached tether's launcher gets it as
     * the user's, and stashes the same names again.
     */
    static List<byte[]> unscrubbed() {
        return unstashed(jvm());
    }

    /** COMMAND's environment from the JVM's. */
    static List<byte[]> forCommand(List<byte[]> jvm) {
        return scrubbed(unstashed(jvm));
    }

    /** The JVM's environment: on Linux from {@code /proc/self/environ}, which the JVM has not decoded. */
    static List<byte[]> jvm() {
        try {
            return RawArguments.splitOnNul(Files.readAllBytes(Path.of("/proc/self/environ")));
        } catch (IOException | UnsupportedOperationException e) {
            return encoded(System.getenv());
        }
    }

    /** Undoes the launcher's work, in place: one prefix off each stashed name, its own settings dropped. */
    static List<byte[]> unstashed(List<byte[]> entries) {
        List<byte[]> restored = new ArrayList<>(entries.size());
        for (byte[] entry : entries) {
            String name = name(entry);
            if (SET_BY_LAUNCHER.contains(name)) {
                continue;
            }
            restored.add(isStashed(name) ? Arrays.copyOfRange(entry, STASH_PREFIX.length(), entry.length) : entry);
        }
        return restored;
    }

    /**
     * The prefix in front of a listed name, or in front of a name that is itself stashed: the launcher
     * prefixes the user's own {@code TETHER_STASHED_CLASSPATH} once more, so one prefix off is always right.
     */
    static boolean isStashed(String name) {
        if (!name.startsWith(STASH_PREFIX)) {
            return false;
        }
        String rest = name.substring(STASH_PREFIX.length());
        return STASHED.contains(rest) || isStashed(rest);
    }

    static List<byte[]> scrubbed(List<byte[]> entries) {
        return entries.stream().filter(entry -> !SCRUBBED.contains(name(entry))).toList();
    }

    static List<byte[]> encoded(Map<String, String> environment) {
        Charset charset = NativeCharset.get();
        return environment.entrySet().stream()
                .map(e -> (e.getKey() + "=" + e.getValue()).getBytes(charset))
                .toList();
    }

    /** Up to the first '=', or the whole entry if it has none, as the launcher reads it. */
    private static String name(byte[] entry) {
        int end = 0;
        while (end < entry.length && entry[end] != '=') {
            end++;
        }
        return new String(entry, 0, end, StandardCharsets.ISO_8859_1);
    }
}

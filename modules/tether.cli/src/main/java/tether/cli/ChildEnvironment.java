package tether.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command's environment: tether's own, byte for byte, minus the variables through which a
 * long-lived child could redirect or inject commands into the shell that started tether (worktrunk's
 * shell integration reads these files after the hook returns), and tether's own hand-over variable.
 */
final class ChildEnvironment {

    static final Set<String> SCRUBBED = Set.of(
            "WORKTRUNK_DIRECTIVE_CD_FILE",
            "WORKTRUNK_DIRECTIVE_EXEC_FILE",
            "WORKTRUNK_DIRECTIVE_FILE",
            "WORKTRUNK_SHELL_CWD",
            Detach.REPORT_VARIABLE);

    private ChildEnvironment() {}

    static List<byte[]> current() {
        return scrubbed(unscrubbed());
    }

    /** tether's own environment: on Linux from {@code /proc/self/environ}, which the JVM has not decoded. */
    static List<byte[]> unscrubbed() {
        try {
            return RawArguments.splitOnNul(Files.readAllBytes(Path.of("/proc/self/environ")));
        } catch (IOException | UnsupportedOperationException e) {
            return encoded(System.getenv());
        }
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

    private static String name(byte[] entry) {
        int end = 0;
        while (end < entry.length && entry[end] != '=') {
            end++;
        }
        return new String(entry, 0, end, Charset.forName("ISO-8859-1"));
    }
}

package tether.unix.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.unix.Natives;
import tether.unix.UnixOwnProcess;
import tether.unix.UnixPaths;

/**
 * tether's own process as Linux shows it in {@code /proc/self}: {@code cmdline} and {@code environ} as the
 * bytes the process was started with (changes the launcher makes to its environment for the JVM do not
 * show there), {@code exe} as the launcher's real path whatever name it was started by.
 */
public final class ProcSelf extends UnixOwnProcess {

    private static final byte[] SELF_EXE = "/proc/self/exe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public List<byte[]> arguments(String[] decoded) {
        return arguments(cmdline(), decoded);
    }

    @Override
    public List<byte[]> environment() {
        try {
            return splitOnNul(Files.readAllBytes(Path.of("/proc/self/environ")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/environ: " + e.getMessage(), e);
        }
    }

    /** Read with readlink(2), whose bytes no charset touches (the JVM's would turn them into a string). */
    @Override
    public byte[] executable() {
        Natives.configure();
        return UnixPaths.readLink(UnixPaths.cString(SELF_EXE));
    }

    /** The command line, or nothing if it cannot be read. */
    private static List<byte[]> cmdline() {
        try {
            return splitOnNul(Files.readAllBytes(Path.of("/proc/self/cmdline")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Splits NUL-terminated strings, as in {@code /proc/PID/cmdline} and {@code /proc/PID/environ}. */
    public static List<byte[]> splitOnNul(byte[] bytes) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                parts.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            parts.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return parts;
    }
}

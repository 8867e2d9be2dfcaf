package tether.unix;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * tether's own process as Linux shows it in {@code /proc/self}: {@code cmdline} and {@code environ} as the
 * bytes the process was started with (changes the launcher makes to its environment for the JVM do not
 * show there), {@code exe} as the launcher's real path whatever name it was started by.
 *
 * <p>Arguments come from {@code cmdline} only when they decode to exactly what the JVM passed to
 * {@code main}, which guards against a launcher that rewrote its command line.
 */
final class ProcSelf extends UnixOwnProcess {

    private static final byte[] SELF_EXE = "/proc/self/exe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public List<byte[]> arguments(String[] decoded) {
        List<byte[]> fromProc = lastOfCmdline(decoded.length);
        return fromProc != null && decodesTo(fromProc, decoded) ? fromProc : encoded(decoded);
    }

    @Override
    public List<byte[]> environment() {
        try {
            return splitOnNul(Files.readAllBytes(Path.of("/proc/self/environ")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/environ: " + e.getMessage(), e);
        }
    }

    /** The JVM's environment, in which the launcher's changes for the JVM do show: a last resort. */
    static List<byte[]> jvmEnvironment() {
        Charset charset = jvmCharset();
        return System.getenv().entrySet().stream()
                .map(entry -> (entry.getKey() + "=" + entry.getValue()).getBytes(charset)).toList();
    }

    /** Read with readlink(2), whose bytes no charset touches (the JVM's would turn them into a string). */
    @Override
    public byte[] executable() {
        Natives.configure();
        return UnixPaths.readLink(UnixPaths.cString(SELF_EXE));
    }

    private static List<byte[]> lastOfCmdline(int count) {
        try {
            List<byte[]> all = splitOnNul(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            return all.size() < count ? null : all.subList(all.size() - count, all.size());
        } catch (IOException e) {
            return null;
        }
    }

    static boolean decodesTo(List<byte[]> raw, String[] decoded) {
        Charset charset = jvmCharset();
        for (int i = 0; i < decoded.length; i++) {
            if (!new String(raw.get(i), charset).equals(decoded[i])) {
                return false;
            }
        }
        return true;
    }

    static List<byte[]> encoded(String[] decoded) {
        Charset charset = jvmCharset();
        return Arrays.stream(decoded).map(arg -> arg.getBytes(charset)).toList();
    }

    /** The charset the JVM decoded arguments, environment and file names with. */
    private static Charset jvmCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** Splits NUL-terminated strings, as in {@code /proc/PID/cmdline} and {@code /proc/PID/environ}. */
    static List<byte[]> splitOnNul(byte[] bytes) {
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

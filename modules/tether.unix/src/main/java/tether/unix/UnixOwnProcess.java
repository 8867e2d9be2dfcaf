package tether.unix;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import tether.api.OutputTap;
import tether.api.OwnProcess;

/**
 * What Linux and macOS share of tether's own process: the arguments are the OS's, as each reads its
 * process's command line, and the descriptors are written to by number alike.
 */
public abstract class UnixOwnProcess implements OwnProcess {

    private static final String LAUNCHER = "tether";

    /** {@code /dev/fd} names a descriptor on Linux (a link into {@code /proc/self/fd}) and on macOS alike. */
    @Override
    public java.io.OutputStream reportChannel(String name) throws IOException {
        return new java.io.FileOutputStream("/dev/fd/" + name);
    }

    @Override
    public void write(int fd, byte[] bytes) throws IOException {
        Descriptors.writeFully(fd, bytes);
    }

    /** Streams that are a terminal keep it (see {@link OutputPipes}). */
    @Override
    public OutputTap tapOutput(int stdout) throws IOException {
        return OutputPipes.open(stdout);
    }

    /**
     * Checked with {@code F_GETFL} now, so that a descriptor the caller did not open, or opened for reading,
     * is refused before anything starts.
     */
    @Override
    public java.io.OutputStream descriptor(int fd) throws IOException {
        return Descriptors.stream(fd);
    }

    /** TIOCGWINSZ, which fails (ENOTTY) for a descriptor that is not a terminal. */
    @Override
    public int terminalColumns(int fd) {
        com.sun.jna.Memory size = new com.sun.jna.Memory(CLibrary.WINSIZE_SIZE);
        if (CLibrary.ioctl(fd, UnixPlatform.current().tiocgwinsz(), size) != 0) {
            return -1;
        }
        return size.getShort(CLibrary.WINSIZE_COL_OFFSET) & 0xffff;
    }

    /**
     * The last {@code decoded.length} entries of the OS's command line {@code all}, when they decode to
     * exactly what the JVM passed to {@code main}, which guards against a launcher that rewrote its command
     * line; otherwise the JVM's own strings.
     */
    protected static List<byte[]> arguments(List<byte[]> all, String[] decoded) {
        Charset charset = jvmCharset();
        if (all.size() >= decoded.length) {
            List<byte[]> last = all.subList(all.size() - decoded.length, all.size());
            boolean same = true;
            for (int i = 0; i < decoded.length && same; i++) {
                same = new String(last.get(i), charset).equals(decoded[i]);
            }
            if (same) {
                return last;
            }
        }
        return Arrays.stream(decoded).map(arg -> arg.getBytes(charset)).toList();
    }

    /**
     * {@code bin/tether} of this image, which a detached tether is started with, so that it gets the same JVM,
     * options, AOT cache, signal mask and environment handling as this one. The JVM runs in the launcher's
     * own process, whose executable is the launcher whatever name it was started by (a bare name found on
     * PATH, a symbolic link); a JVM started as {@code bin/java} (the AOT training) finds the launcher beside
     * it.
     */
    byte[] launcher() {
        return launcher(executable());
    }

    static byte[] launcher(byte[] executable) {
        int slash = -1;
        for (int i = executable == null ? -1 : executable.length - 1; i >= 0 && slash < 0; i--) {
            slash = executable[i] == '/' ? i : -1;
        }
        if (slash < 0) {
            return java.nio.file.Path.of(System.getProperty("java.home"), "bin", LAUNCHER).toString().getBytes(jvmCharset());
        }
        byte[] name = LAUNCHER.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] launcher = Arrays.copyOf(executable, slash + 1 + name.length);
        System.arraycopy(name, 0, launcher, slash + 1, name.length);
        return launcher;
    }

    /** The JVM's environment, in which the launcher's changes for the JVM do show: a last resort. */
    protected static List<byte[]> jvmEnvironment() {
        Charset charset = jvmCharset();
        return System.getenv().entrySet().stream()
                .map(entry -> (entry.getKey() + "=" + entry.getValue()).getBytes(charset)).toList();
    }

    /** The charset the JVM decoded arguments, environment and file names with. */
    private static Charset jvmCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}

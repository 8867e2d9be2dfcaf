package tether.unix.darwin;

import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.unix.CLibrary;
import tether.unix.Natives;
import tether.unix.UnixOwnProcess;

/**
 * tether's own process as macOS keeps it: {@code sysctl(KERN_PROCARGS2)} returns the area exec filled (argc,
 * the executable path, the arguments and the environment, each NUL-terminated), which the launcher's
 * {@code unsetenv} and {@code setenv} for the JVM do not touch, so COMMAND gets the environment tether was
 * started with, as on Linux from {@code /proc/self/environ}. The area does not say where the environment
 * ends; the launcher says how many entries it has (system property {@value #ENVIRONMENT_COUNT}). Without that
 * count (a JVM started by hand), or where the call fails, the JVM's own view stands in, as
 * docs/platforms.md says.
 */
public final class DarwinOwnProcess extends UnixOwnProcess {

    /** Set by the launcher to the number of environment entries exec gave it (see the launcher). */
    public static final String ENVIRONMENT_COUNT = "tether.exec.envc";

    private static final int SELF = CLibrary.getpid();

    /** The kernel aligns each part of the area to a pointer (bsd/kern/kern_exec.c, exec_extract_strings). */
    private static final int ALIGNMENT = 8;

    /**
     * What exec left: the executable path, the arguments, and the environment, {@code null} where its length
     * is not known; {@code rest} is every non-empty string after the arguments, the environment and then the
     * kernel's own strings, for a reader that looks for one entry and needs no count (another process's).
     */
    record ExecArea(byte[] executable, List<byte[]> arguments, List<byte[]> environment, List<byte[]> rest) {}

    @Override
    public List<byte[]> arguments(String[] decoded) {
        ExecArea area = read();
        return arguments(area == null ? List.of() : area.arguments(), decoded);
    }

    @Override
    public List<byte[]> environment() {
        ExecArea area = read();
        return area != null && area.environment() != null ? area.environment() : jvmEnvironment();
    }

    @Override
    public byte[] executable() {
        Natives.configure();
        Memory path = new Memory(SystemB.PROC_PIDPATHINFO_MAXSIZE);
        int length = SystemB.proc_pidpath(SELF, path, SystemB.PROC_PIDPATHINFO_MAXSIZE);
        return length <= 0 ? null : path.getByteArray(0, length);
    }

    /**
     * Asks the kernel how large the area is, then reads it whole: a buffer smaller than the area would get
     * its end, not its start (bsd/kern/kern_sysctl.c, sysctl_procargsx). An area larger than ARG_MAX, which
     * the kernel refuses to copy out, is not read.
     */
    static ExecArea read() {
        Natives.configure();
        byte[] area = area(SELF);
        return area == null ? null : parse(area, environmentCount());
    }

    /**
     * The exec area of {@code pid}, or {@code null} if it cannot be read (another user's process, unless this
     * one is root; a process that ended).
     */
    static byte[] area(int pid) {
        int[] name = {SystemB.CTL_KERN, SystemB.KERN_PROCARGS2, pid};
        Memory size = new Memory(Long.BYTES);
        size.setLong(0, 0);
        if (SystemB.sysctl(name, name.length, null, size, null, 0) != 0 || size.getLong(0) <= 0) {
            return null;
        }
        Memory area = new Memory(size.getLong(0));
        if (SystemB.sysctl(name, name.length, area, size, null, 0) != 0) {
            return null;
        }
        return area.getByteArray(0, (int) size.getLong(0));
    }

    /** The launcher's count of environment entries; -1 if it gave none. */
    private static int environmentCount() {
        try {
            return Integer.parseInt(System.getProperty(ENVIRONMENT_COUNT, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads the area as bsd/kern/kern_exec.c lays it out (exec_save_path, exec_extract_strings,
     * exec_add_apple_strings): a native-endian int argc (KERN_PROCARGS2 puts it first); the executable path
     * (after "executable_path=", which sysctl_procargsx leaves out) and NULs up to a multiple of 8 bytes from
     * the path's start; argc arguments; the environment, NULs up to the next multiple of 8; then the strings
     * the kernel adds for libSystem ({@code pfz=}, {@code stack_guard=}, {@code ptr_munge=}, ...), which are not
     * the environment. Any string may be empty, so the environment's end is found by counting
     * {@code environmentCount} entries, and the padding after it must then be NULs; with a count of -1 the
     * environment is {@code null}. {@code null} altogether if the area is not laid out so.
     */
    static ExecArea parse(byte[] area, int environmentCount) {
        if (area.length < Integer.BYTES) {
            return null;
        }
        int argc = ByteBuffer.wrap(area, 0, Integer.BYTES).order(ByteOrder.nativeOrder()).getInt();
        int start = Integer.BYTES;
        int end = indexOfNul(area, start);
        if (end < 0 || !isPadding(area, end, alignedFrom(start, end + 1))) {
            return null;
        }
        byte[] executable = Arrays.copyOfRange(area, start, end);
        int[] at = {alignedFrom(start, end + 1)};
        List<byte[]> arguments = strings(area, at, argc);
        if (arguments == null) {
            return null;
        }
        List<byte[]> rest = rest(area, at[0]);
        if (environmentCount < 0) {
            return new ExecArea(executable, arguments, null, rest);
        }
        List<byte[]> environment = strings(area, at, environmentCount);
        if (environment == null || !isPadding(area, at[0], alignedFrom(start, at[0]))) {
            return null;
        }
        return new ExecArea(executable, arguments, environment, rest);
    }

    /** The non-empty NUL-terminated strings of {@code area} from {@code from} on. */
    private static List<byte[]> rest(byte[] area, int from) {
        List<byte[]> strings = new ArrayList<>();
        int at = from;
        while (at < area.length) {
            int end = indexOfNul(area, at);
            if (end < 0) {
                end = area.length;
            }
            if (end > at) {
                strings.add(Arrays.copyOfRange(area, at, end));
            }
            at = end + 1;
        }
        return strings;
    }

    /** {@code count} NUL-terminated strings from {@code at[0]}, which moves past them; {@code null} if cut short. */
    private static List<byte[]> strings(byte[] area, int[] at, int count) {
        List<byte[]> strings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int end = indexOfNul(area, at[0]);
            if (end < 0) {
                return null;
            }
            strings.add(Arrays.copyOfRange(area, at[0], end));
            at[0] = end + 1;
        }
        return strings;
    }

    /** {@code offset}, moved up to the next multiple of {@link #ALIGNMENT} counted from {@code start}. */
    private static int alignedFrom(int start, int offset) {
        return start + (offset - start + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Whether {@code area} holds only NULs from {@code from} to {@code to}, and has that many bytes. */
    private static boolean isPadding(byte[] area, int from, int to) {
        if (to > area.length) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (area[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}

package tether.unix.darwin;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tether.unix.CLibrary;
import tether.unix.Natives;
import tether.unix.UnixOwnProcess;

/**
 * tether's own process as macOS keeps it: {@code sysctl(KERN_PROCARGS2)} returns the area exec filled
 * (argc, the executable path, the arguments and the environment, each NUL-terminated), which the
 * launcher's {@code unsetenv} and {@code setenv} for the JVM do not touch, so COMMAND gets the environment
 * tether was started with, as on Linux from {@code /proc/self/environ}. Where the call fails, the JVM's own
 * view stands in, as docs/platforms.md says.
 */
public final class DarwinOwnProcess extends UnixOwnProcess {

    private static final int SELF = CLibrary.getpid();

    /** What exec left: the executable path, the arguments and the environment. */
    record ExecArea(byte[] executable, List<byte[]> arguments, List<byte[]> environment) {}

    @Override
    public List<byte[]> arguments(String[] decoded) {
        ExecArea area = read();
        return arguments(area == null ? List.of() : area.arguments(), decoded);
    }

    @Override
    public List<byte[]> environment() {
        ExecArea area = read();
        return area != null ? area.environment() : jvmEnvironment();
    }

    @Override
    public byte[] executable() {
        Natives.configure();
        Memory path = new Memory(SystemB.PROC_PIDPATHINFO_MAXSIZE);
        int length = SystemB.proc_pidpath(SELF, path, SystemB.PROC_PIDPATHINFO_MAXSIZE);
        return length <= 0 ? null : path.getByteArray(0, length);
    }

    private static ExecArea read() {
        Natives.configure();
        Memory size = new Memory(8);
        Memory argMax = new Memory(4);
        size.setLong(0, 4);
        if (SystemB.sysctl(new int[] {SystemB.CTL_KERN, SystemB.KERN_ARGMAX}, 2, argMax, size, null, 0) != 0) {
            return null;
        }
        Memory area = new Memory(argMax.getInt(0));
        size.setLong(0, area.size());
        if (SystemB.sysctl(new int[] {SystemB.CTL_KERN, SystemB.KERN_PROCARGS2, SELF}, 3, area, size, null, 0) != 0) {
            return null;
        }
        return parse(area.getByteArray(0, (int) size.getLong(0)));
    }

    /**
     * Reads the area: a native-endian int argc, the executable path, NUL padding, argc arguments, then
     * the environment up to the first empty string (what follows is Apple's own, not the environment).
     * {@code null} if it is shorter than it says.
     */
    static ExecArea parse(byte[] area) {
        if (area.length < Integer.BYTES) {
            return null;
        }
        int argc = java.nio.ByteBuffer.wrap(area, 0, Integer.BYTES).order(java.nio.ByteOrder.nativeOrder()).getInt();
        int at = Integer.BYTES;
        int end = indexOfNul(area, at);
        if (end < 0) {
            return null;
        }
        byte[] executable = Arrays.copyOfRange(area, at, end);
        at = end;
        while (at < area.length && area[at] == 0) {
            at++;
        }
        List<byte[]> arguments = new ArrayList<>();
        for (int i = 0; i < argc; i++) {
            end = indexOfNul(area, at);
            if (end < 0) {
                return null;
            }
            arguments.add(Arrays.copyOfRange(area, at, end));
            at = end + 1;
        }
        List<byte[]> environment = new ArrayList<>();
        while (at < area.length && (end = indexOfNul(area, at)) > at) {
            environment.add(Arrays.copyOfRange(area, at, end));
            at = end + 1;
        }
        return new ExecArea(executable, arguments, environment);
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

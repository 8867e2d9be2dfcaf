package tether.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;

/** What the provider's calls share about handles: inheritable ones, the null device, and a failed open. */
final class Handles {

    private Handles() {}

    /**
     * A SECURITY_ATTRIBUTES whose handle is inheritable. Inheritable is not inherited: every CreateProcessW
     * of the provider names the handles the child gets in PROC_THREAD_ATTRIBUTE_HANDLE_LIST.
     */
    static Memory inheritableAttributes() {
        Memory attributes = new Memory(Kernel32.SECURITY_ATTRIBUTES_SIZE);
        attributes.clear();
        attributes.setInt(0, Kernel32.SECURITY_ATTRIBUTES_SIZE);
        attributes.setInt(Kernel32.SECURITY_ATTRIBUTES_INHERIT_OFFSET, 1);
        return attributes;
    }

    /** NUL opened for reading and writing, inheritable; {@code null} with the error in GetLastError. */
    static Pointer openNul(Kernel32 kernel32) {
        Pointer nul = kernel32.CreateFileW(new WString(WindowsPaths.NUL), Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE,
                Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE, inheritableAttributes(), Kernel32.OPEN_EXISTING,
                0, null);
        return invalid(nul) ? null : nul;
    }

    /** CreateFileW's failure is INVALID_HANDLE_VALUE; GetStdHandle's "no handle" is NULL or that. */
    static boolean invalid(Pointer handle) {
        return handle == null || Pointer.nativeValue(handle) == Kernel32.INVALID_HANDLE_VALUE;
    }
}

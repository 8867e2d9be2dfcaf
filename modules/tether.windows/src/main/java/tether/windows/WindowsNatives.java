package tether.windows;

import com.sun.jna.InvocationMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * kernel32, shell32, and for {@code --all} ntdll and advapi32, each loaded on first use only, so that choosing
 * the provider loads nothing.
 */
final class WindowsNatives {

    static {
        useBundledDispatchLibrary();
    }

    private WindowsNatives() {}

    static Kernel32 kernel32() {
        return Kernel32Holder.INSTANCE;
    }

    static Shell32 shell32() {
        return Shell32Holder.INSTANCE;
    }

    static Kernel32Processes processes() {
        return ProcessesHolder.INSTANCE;
    }

    static Ntdll ntdll() {
        return NtdllHolder.INSTANCE;
    }

    static Advapi32 advapi32() {
        return Advapi32Holder.INSTANCE;
    }

    /** kernel32's functions for {@code --all}, whose {@code GetLastError} is kernel32's, answered alike. */
    private static final class ProcessesHolder {
        static final Kernel32Processes INSTANCE = Native.load("kernel32", Kernel32Processes.class,
                PreservedLastError.OPTIONS);
    }

    private static final class NtdllHolder {
        static final Ntdll INSTANCE = Native.load("ntdll", Ntdll.class);
    }

    private static final class Advapi32Holder {
        static final Advapi32 INSTANCE = Native.load("advapi32", Advapi32.class);
    }

    private static final class Kernel32Holder {
        static final Kernel32 INSTANCE = Native.load("kernel32", Kernel32.class, PreservedLastError.OPTIONS);
    }

    private static final class Shell32Holder {
        static final Shell32 INSTANCE = Native.load("shell32", Shell32.class);
    }

    /**
     * {@code GetLastError} answers with the code JNA kept right after the thread's previous native call
     * ({@code Native.getLastError}, on by default), not with a call of its own: between two calls the JVM runs
     * code of its own on the thread (JNA's marshalling, allocation, a safepoint), and a Windows function it
     * calls there may set the thread's last error (TlsGetValue, for one, sets it on success).
     */
    private static final class PreservedLastError implements InvocationMapper {
        static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_INVOCATION_MAPPER, new PreservedLastError());

        @Override
        public InvocationHandler getInvocationHandler(NativeLibrary library, Method method) {
            return method.getName().equals("GetLastError") ? (proxy, called, args) -> Native.getLastError() : null;
        }
    }

    /**
     * The runtime image ships JNA's dispatch library in its {@code bin} folder; without this JNA would
     * extract a copy from its jar into a temporary folder on every start. Set once, before either library
     * loads: JNA reads the properties when it first loads.
     */
    private static void useBundledDispatchLibrary() {
        Path bundled = Path.of(System.getProperty("java.home"), "bin");
        if (Files.exists(bundled.resolve(System.mapLibraryName("jnidispatch")))) {
            System.setProperty("jna.boot.library.path", bundled.toString());
            System.setProperty("jna.nounpack", "true");
            System.setProperty("jna.nosys", "true");
        }
    }
}

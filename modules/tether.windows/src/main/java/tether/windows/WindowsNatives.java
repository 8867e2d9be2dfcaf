package tether.windows;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private static final class ProcessesHolder {
        static final Kernel32Processes INSTANCE = load("kernel32", Kernel32Processes.class);
    }

    private static final class NtdllHolder {
        static final Ntdll INSTANCE = load("ntdll", Ntdll.class);
    }

    private static final class Advapi32Holder {
        static final Advapi32 INSTANCE = load("advapi32", Advapi32.class);
    }

    private static final class Kernel32Holder {
        static final Kernel32 INSTANCE = load("kernel32", Kernel32.class);
    }

    private static final class Shell32Holder {
        static final Shell32 INSTANCE = load("shell32", Shell32.class);
    }

    private static <T extends com.sun.jna.Library> T load(String name, Class<T> type) {
        return Native.load(name, type);
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
